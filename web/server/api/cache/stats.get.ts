/**
 * GET /api/cache/stats with `X-Site-Key: <NUXT_SITE_API_KEY>`: how many entries the page cache
 * (plain pages, pages with a query) and the CMS read cache hold, for operators and tests. 404 for
 * any caller without the key.
 */
export default defineEventHandler((event) => {
  requireSiteKey(event)
  return contentCacheStats()
})
