import type { CmsInstance } from '../../../cms/tests/harness'
import type { AdminSession } from '../../../cms/tests/support/admin'
/**
 * Members for the site's tests, made as in real life: an editor invites them in the admin (the CMS
 * mails the link to the test mailbox), or, when the test is not about the invitation, an active
 * member made directly in the CMS (cms/tests/support/members.ts).
 */
import { USERS_PATH } from '../../../cms/tests/support/admin'

/** Creates a user as an editor does in the Content Manager: email, full name and agency only. */
export async function inviteMember(cms: CmsInstance, admin: AdminSession, email: string, fullName: string, acronym = 'ESA') {
  const agency = await cms.strapi.db.query('api::member-agency.member-agency').findOne({
    where: {
      acronym,
      publishedAt: { $notNull: true },
    },
  }) as { id: number, documentId: string }
  const created = await admin.request('POST', USERS_PATH, {
    email,
    fullName,
    agency: {
      connect: [
        { id: agency.id, documentId: agency.documentId },
      ],
      disconnect: [],
    },
  })
  if (created.status >= 300)
    throw new Error(`inviting ${email} failed (${created.status}): ${JSON.stringify(created.body)}`)
}

/** The bytes of an uploaded file as the CMS stores them (local provider). */
export async function storedFile(cms: CmsInstance, id: number): Promise<{ name: string, mime: string, bytes: Buffer }> {
  const { readFile } = await import('node:fs/promises')
  const { join } = await import('node:path')
  const file = await cms.strapi.db.query('plugin::upload.file').findOne({
    where: { id },
  }) as { name: string, mime: string, url: string }
  return { name: file.name, mime: file.mime, bytes: await readFile(join(cms.strapi.dirs.static.public, file.url)) }
}

export const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** The download link (/private-area/files/<id>) that follows an item's title in a Private Area page. */
export function fileLinkAfter(html: string, title: string): string {
  const match = new RegExp(`${escapeRegExp(escapeHtml(title))}[\\s\\S]*?href="(/private-area/files/(\\d+))"`).exec(html)
  if (!match)
    throw new Error(`no download link after "${title}"`)
  return match[1]!
}
