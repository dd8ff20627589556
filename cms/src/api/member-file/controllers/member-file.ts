/**
 * Streams a file to a member (docs/private-area.md, "Protected files"): the site's key and a live
 * member JWT are required (401), and the file must be attached to a published entry of a type
 * members read (404 otherwise, the same as a file that does not exist). Every download is recorded
 * (`api::member-download.member-download`) before the bytes are sent.
 */
import type { Core, UID } from '@strapi/strapi'
import type { MemberSession } from '../../../content-api/caller'
import type { RelatedEntry } from '../../../private-area/files'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { join, resolve, sep } from 'node:path'
import { findFileById, grantingEntries, UPLOADS_PREFIX } from '../../../private-area/files'
import { DOWNLOAD_UID, findUser } from '../../../private-area/members'
import { isSiteRequest } from '../../../private-area/site'

interface Context {
  params: Record<string, string>
  request: { headers: Record<string, string | string[] | undefined> }
  req: { socket: { remoteAddress?: string } }
  state: { memberSession?: MemberSession }
  status: number
  body: unknown
  set: (name: string, value: string) => void
}

/** Member documents first: they are what the Private Area is about. */
const PREFERENCE = [
  'api::member-document.member-document',
  'api::publication.publication',
  'api::news-article.news-article',
]

function answer(ctx: Context, status: number, name: string, message: string) {
  ctx.status = status
  ctx.body = {
    data: null,
    error: { status, name, message, details: {} },
  }
}

/** `attachment` with an ASCII fallback name and the exact name in RFC 5987 form. */
export function contentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7E]/g, '_').replace(/["\\]/g, '_')
  const exact = encodeURIComponent(name).replace(/['()*]/g, char => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
  return `attachment; filename="${fallback}"; filename*=UTF-8''${exact}`
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const rank = (entry: RelatedEntry) => {
    const index = PREFERENCE.indexOf(entry.__type)
    return index === -1
      ? PREFERENCE.length
      : index
  }
  const title = (entry: RelatedEntry) => entry.title ?? entry.name ?? entry.siteName ?? ''
  const typeName = (entry: RelatedEntry) => (strapi.getModel(entry.__type as UID.Schema) as { info?: { displayName?: string } } | undefined)?.info?.displayName ?? entry.__type

  return {
    async download(ctx: Context) {
      const session = ctx.state.memberSession
      if (!isSiteRequest(ctx) || !session)
        return answer(ctx, 401, 'UnauthorizedError', 'Missing or invalid credentials')
      const notFound = () => answer(ctx, 404, 'NotFoundError', 'Not Found')
      const id = /^\d{1,15}$/.test(ctx.params.fileId ?? '')
        ? Number(ctx.params.fileId)
        : Number.NaN
      const file = Number.isSafeInteger(id) && id > 0
        ? await findFileById(strapi, id)
        : null
      const entries = file
        ? grantingEntries(strapi, file, 'member').sort((a, b) => rank(a) - rank(b))
        : []
      if (!file || entries.length === 0 || file.provider !== 'local' || !file.url.startsWith(UPLOADS_PREFIX))
        return notFound()
      const uploads = resolve(strapi.dirs.static.public, 'uploads')
      const path = resolve(join(strapi.dirs.static.public, file.url))
      const stats = path.startsWith(`${uploads}${sep}`)
        ? await stat(path).catch(() => null)
        : null
      if (!stats?.isFile())
        return notFound()
      const user = await findUser(strapi, { id: session.userId })
      if (!user)
        return answer(ctx, 401, 'UnauthorizedError', 'Missing or invalid credentials')

      const ext = file.ext ?? ''
      const fileName = ext && !file.name.toLowerCase().endsWith(ext.toLowerCase())
        ? `${file.name}${ext}`
        : file.name
      const [entry] = entries
      await strapi.documents(DOWNLOAD_UID).create({
        data: {
          downloadedAt: new Date().toISOString(),
          user: user.documentId,
          agency: user.agency?.documentId ?? null,
          fileName,
          documentTitle: title(entry!),
          documentType: typeName(entry!),
        },
      } as never)

      ctx.status = 200
      ctx.set('Content-Type', file.mime || 'application/octet-stream')
      ctx.set('Content-Disposition', contentDisposition(fileName))
      ctx.set('Cache-Control', 'private, no-store')
      ctx.set('X-Content-Type-Options', 'nosniff')
      ctx.body = createReadStream(path)
      ctx.set('Content-Length', String(stats.size))
    },
  }
}
