/**
 * The caches that hold CMS content: the page cache (Nitro's route cache, on our own driver:
 * server/utils/page-cache-driver.ts, mounted by server/plugins/page-cache.ts) and the CMS read cache
 * (server/utils/cms-cache.ts). Content changed in the CMS shows at once after
 * {@link invalidateContentCaches}; without it, after the CMS read cache's TTL plus the page
 * cache's revalidation (swr).
 */
interface PageCache {
  clear: () => void
  stats: () => { pages: number, variants: number, generation: number }
}
let pageCache: PageCache | undefined

/** Called by server/plugins/page-cache.ts with the driver it mounts. */
export function registerPageCache(driver: PageCache) {
  pageCache = driver
}

/** How many entries the caches hold (GET /api/cache/stats). */
export function contentCacheStats() {
  return {
    pages: pageCache?.stats() ?? null,
    cmsReads: useCmsReadCache().size,
  }
}

/** Empties both caches together: the next request for any page renders it from fresh CMS reads. */
export function invalidateContentCaches() {
  // CMS reads first: a page rendered between the two clears would otherwise be built from old data.
  useCmsReadCache().clear()
  pageCache?.clear()
}
