/**
 * Storage driver for Nitro's page cache (the `cache:` mount): entries are kept as parsed objects in
 * a bounded LRU map, so a cache hit neither re-parses the stored JSON (the default memory driver
 * runs destr over the whole page on every hit) nor grows without limit when clients vary the
 * query string. Reads return a shallow copy, because Nitro assigns entry fields while it
 * revalidates and a failed revalidation must leave the stored page untouched.
 *
 * Pages are the same for everybody, so two kinds of response never enter or leave it:
 *  - while `bypass()` is true (the current request carries a member session: see
 *    server/plugins/page-cache.ts), nothing is read and nothing is written;
 *  - an entry whose response sets a cookie is never stored (one visitor's cookie would be sent to all).
 *
 * Two bounded partitions: pages of a plain path (`/news`, `/news/some-article`), at most
 * `maxEntries`, and pages of a path with a query (`/news?page=2`, `/publications?q=…`), at most
 * `maxVariants`. Only real pages are stored (Nitro never caches an error), and queries are cut to
 * the parameters a page reads (server/utils/page-cache-keys.ts), so the first partition is bounded
 * by the site's content; visitors can still make many distinct searches, and those can only evict
 * each other, never a plain page.
 *
 * `clear()` drops everything and starts a new generation: a page whose rendering began before the
 * clear (with content read before it) is not stored when it completes.
 */
type Entry = Record<string, unknown>

/** True when a cache entry ({ value: { headers } }) carries a Set-Cookie header. */
export function setsCookie(entry: Entry): boolean {
  const headers = (entry.value as { headers?: unknown } | undefined)?.headers
  if (!headers || typeof headers !== 'object')
    return false
  return Object.entries(headers).some(([name, value]) => name.toLowerCase() === 'set-cookie' && value !== undefined && value !== null)
}

export interface PageCacheContext {
  /** the current request must neither read nor fill the cache (a member session) */
  bypass: boolean
  /** the current request's URL has a query: its page goes to the variants partition */
  variant: boolean
  /** the generation current when the request began (undefined: not serving a request) */
  generation?: number
}

export interface PageCacheDriverOptions {
  maxEntries?: number
  maxVariants?: number
  /** what the driver needs to know about the request being served (server/plugins/page-cache.ts) */
  context?: () => PageCacheContext
  /** told which stored entry (by identity) the current request reads or has just stored */
  onUse?: (key: string, entry: object) => void
  /** told when everything was dropped */
  onClear?: () => void
}

const NO_REQUEST: PageCacheContext = { bypass: false, variant: false }

export function pageCacheDriver(options: PageCacheDriverOptions = {}) {
  const maxEntries = options.maxEntries ?? 2000
  const maxVariants = options.maxVariants ?? 200
  const context = options.context ?? (() => NO_REQUEST)
  const pages = new Map<string, Entry | string>()
  const variants = new Map<string, Entry | string>()
  let generation = 0

  const read = (key: string) => {
    if (context().bypass)
      return null
    const map = pages.has(key)
      ? pages
      : variants
    const value = map.get(key)
    if (value === undefined)
      return null
    map.delete(key) // refresh its place in the LRU order
    map.set(key, value)
    if (typeof value === 'string')
      return value
    options.onUse?.(key, value)
    return { ...value }
  }

  const clear = () => {
    pages.clear()
    variants.clear()
    generation++
    options.onClear?.()
  }

  return {
    name: 'isecg-page-cache',
    hasItem: (key: string) => !context().bypass && (pages.has(key) || variants.has(key)),
    getItem: read,
    getItemRaw: read,
    setItem(key: string, value: string) {
      const current = context()
      if (current.bypass || (current.generation !== undefined && current.generation !== generation))
        return
      let stored: Entry | string = value
      try {
        const parsed = JSON.parse(value) as unknown
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
          stored = parsed as Entry
      }
      catch { /* not JSON: keep the string */ }
      if (typeof stored === 'object' && setsCookie(stored))
        return
      pages.delete(key)
      variants.delete(key)
      const [map, max] = current.variant
        ? [variants, maxVariants]
        : [pages, maxEntries]
      map.set(key, stored)
      while (map.size > max) map.delete(map.keys().next().value!)
      if (typeof stored === 'object')
        options.onUse?.(key, stored)
    },
    removeItem: (key: string) => {
      // Nitro drops an entry when a response it rendered must not be stored (a preview's no-store):
      // that response was not the cached page's, which stays
      if (context().bypass)
        return
      pages.delete(key)
      variants.delete(key)
    },
    getKeys: () => [
      ...pages.keys(),
      ...variants.keys(),
    ],
    clear,
    dispose: clear,
    /** the generation a request beginning now belongs to */
    get generation() {
      return generation
    },
    stats: () => ({ pages: pages.size, variants: variants.size, generation }),
    /** the stored entry itself (not a copy), without touching the LRU order: compare by identity only */
    peek: (key: string): Entry | undefined => {
      const value = pages.get(key) ?? variants.get(key)
      return typeof value === 'object'
        ? value
        : undefined
    },
  }
}
