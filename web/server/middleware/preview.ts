/**
 * Finds out whether a request is in a preview of drafts (server/utils/preview.ts): a preview cookie
 * signed with this site's preview secret and not expired. Then the request's CMS reads ask for drafts
 * (server/utils/cms.ts), the page cache steps aside (server/plugins/page-cache.ts), the response may
 * be framed by the CMS admin only and is `no-store`, `noindex` (here, and again once rendered:
 * server/plugins/preview.ts). A cookie that fails the check (made up, altered, expired, or preview
 * switched off since) is deleted and the request is an ordinary one.
 */
export default defineEventHandler((event) => {
  const value = getCookie(event, PREVIEW_COOKIE)
  if (value === undefined)
    return
  const settings = previewSettings()
  const session = settings && openPreview(settings.secret, value)
  if (!session) {
    deleteCookie(event, PREVIEW_COOKIE, previewCookieOptions(event))
    return
  }
  event.context.preview = {
    ...session,
    cookie: `${PREVIEW_COOKIE}=${value}`,
  }
  event.context.security = {
    ...event.context.security,
    frameAncestors: settings.adminOrigin
      ? [settings.adminOrigin]
      : [],
  }
  setPreviewHeaders(event)
})
