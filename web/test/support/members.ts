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

/** A PNG of one colour (no image library needed): large enough for the CMS to make every format. */
export async function solidPng(width: number, height: number): Promise<Buffer> {
  const { crc32, deflateSync } = await import('node:zlib')
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8)
    head.writeUInt32BE(data.length, 0)
    head.write(type, 4, 'ascii')
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(Buffer.concat([
      head.subarray(4),
      data,
    ])) >>> 0, 0)
    return Buffer.concat([head, data, crc])
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, 2, 0, 0, 0], 8) // 8-bit RGB
  const row = Buffer.concat([
    Buffer.from([0]),
    Buffer.alloc(width * 3, Buffer.from([0x1D, 0x5F, 0xC2])),
  ])
  const pixels = deflateSync(Buffer.concat(Array.from<Buffer>({ length: height }).fill(row)))
  return Buffer.concat([
    Buffer.from([
      0x89,
      0x50,
      0x4E,
      0x47,
      0x0D,
      0x0A,
      0x1A,
      0x0A,
    ]),
    chunk('IHDR', header),
    chunk('IDAT', pixels),
    chunk('IEND', Buffer.alloc(0)),
  ])
}
