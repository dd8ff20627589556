/**
 * GET /api/preview/exit?path=/news/<slug>: the preview bar's "Exit preview" link. Removes the
 * preview cookie and redirects to the path (site-relative only, else the home page), which then
 * shows the published page. Never cached (route rules).
 */
export default defineEventHandler((event) => {
  const path = previewPath(getQuery(event).path) ?? '/'
  deleteCookie(event, PREVIEW_COOKIE, previewCookieOptions(event))
  return sendRedirect(event, path, 302)
})
