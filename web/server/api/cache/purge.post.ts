import { createHash, timingSafeEqual } from 'node:crypto'

/**
 * POST /api/cache/purge with `X-Site-Key: <NUXT_SITE_API_KEY>`: empties the page cache and the CMS
 * read cache together (invalidateContentCaches), so that content just changed in the CMS shows on
 * the next request. For the CMS's content webhook and for operators; 204 when done, 404 for any
 * caller without the key (the endpoint does not advertise itself).
 */
const digest = (text: string) => createHash('sha256').update(text).digest()

export default defineEventHandler((event) => {
  const expected = useRuntimeConfig().siteApiKey
  const given = getRequestHeader(event, 'x-site-key') ?? ''
  if (!expected || !timingSafeEqual(digest(given), digest(expected)))
    throw createError({ statusCode: 404, statusMessage: 'Not Found' })
  invalidateContentCaches()
  setResponseStatus(event, 204)
  return null
})
