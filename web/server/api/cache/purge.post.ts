/**
 * POST /api/cache/purge with `X-Site-Key: <NUXT_SITE_API_KEY>`: empties the page cache and the CMS
 * read cache together (invalidateContentCaches), so that content just changed in the CMS shows on
 * the next request. For operators (the CMS uses the signed /api/cache/webhook); 204 when done, 404
 * for any caller without the key (the endpoint does not advertise itself).
 */
export default defineEventHandler((event) => {
  requireSiteKey(event)
  invalidateContentCaches()
  setResponseStatus(event, 204)
  return null
})
