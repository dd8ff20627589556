/**
 * The CMS serves an uploaded file (/uploads/<file>, the original or any of its formats) only when
 * it is public (src/private-area/files.ts); anything else under /uploads answers 404, the same as a
 * file that does not exist. Members get protected files through GET /api/member-files/:fileId.
 *
 * The path is checked the way the static server will read it (percent-decoded, dot segments and
 * repeated slashes resolved), so /%75ploads/... or //uploads/... are caught as well.
 */
import type { Core } from '@strapi/strapi'
import { posix } from 'node:path'
import { isPublicUpload, UPLOADS_PREFIX } from '../private-area/files'

interface Context {
  path: string
  status: number
  body: unknown
}

/** The /uploads URL a request path reads, or undefined when it reads nothing under /uploads. */
export function uploadsUrl(path: string): string | undefined {
  let decoded: string
  try {
    decoded = decodeURIComponent(path)
  }
  catch {
    return undefined // the static server refuses it too (400)
  }
  const normalized = `/${posix.normalize(decoded.replace(/\\/g, '/')).replace(/^\/+/, '')}`
  if (normalized === '/uploads' || normalized.startsWith(UPLOADS_PREFIX))
    return normalized
  return undefined
}

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => async (ctx: Context, next: () => Promise<unknown>) => {
  const url = uploadsUrl(ctx.path)
  if (url !== undefined && (url.includes('\0') || !(await isPublicUpload(strapi, url)))) {
    ctx.status = 404
    ctx.body = 'Not Found'
    return
  }
  await next()
}
