/**
 * GET /api/preview?secret=<NUXT_PREVIEW_SECRET>&path=/news/<slug>&status=draft|published: the URL
 * the CMS admin's preview opens (cms/config/admin.ts). With the right secret (compared in constant
 * time) and a site-relative path, it sets the preview cookie (server/utils/preview.ts) and redirects
 * to the path, where the page renders the entry's draft with a "Preview: draft" bar.
 *
 * 404 when preview is not configured; 401 for a wrong or missing secret; 400 for a path that is not
 * site-relative (`//host`, `/\host`, `https:`, `javascript:`, backslashes, control characters) or an
 * unknown status. Refusals are a line of plain text (not the error page, which would repeat the
 * URL, secret included), with no cookie and no Location. Never cached, noindex (route rules).
 */
import type { H3Event } from 'h3'

function refuse(event: H3Event, status: number, message: string) {
  setResponseStatus(event, status)
  setResponseHeader(event, 'content-type', 'text/plain; charset=utf-8')
  return `${message}\n`
}

export default defineEventHandler((event) => {
  const settings = previewSettings()
  if (!settings)
    return refuse(event, 404, 'Preview is not set up on this site.')
  const query = getQuery(event)
  const one = (value: unknown) => Array.isArray(value)
    ? undefined
    : value
  if (!previewSecretMatches(one(query.secret), settings.secret))
    return refuse(event, 401, 'This preview link is not valid (wrong secret). Open the preview from the CMS again.')
  const path = previewPath(one(query.path))
  const status = one(query.status) ?? 'draft'
  if (!path || !isPreviewStatus(status))
    return refuse(event, 400, 'This preview link is not valid: the page must be a path on this site.')

  const cookie = sealPreview(settings.secret, {
    status,
    expiresAt: Date.now() + PREVIEW_MAX_AGE_SECONDS * 1000,
  })
  setCookie(event, PREVIEW_COOKIE, cookie, {
    ...previewCookieOptions(event),
    maxAge: PREVIEW_MAX_AGE_SECONDS,
  })
  return sendRedirect(event, path, 302)
})
