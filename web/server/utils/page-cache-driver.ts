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
 */
type Entry = Record<string, unknown>

/** True when a cache entry ({ value: { headers } }) carries a Set-Cookie header. */
export function setsCookie(entry: Entry): boolean {
  const headers = (entry.value as { headers?: unknown } | undefined)?.headers
  if (!headers || typeof headers !== 'object')
    return false
  return Object.entries(headers).some(([name, value]) => name.toLowerCase() === 'set-cookie' && value !== undefined && value !== null)
}

export function pageCacheDriver(maxEntries = 2000, bypass: () => boolean = () => false) {
  const entries = new Map<string, Entry | string>()

  const read = (key: string) => {
    if (bypass())
      return null
    const value = entries.get(key)
    if (value === undefined)
      return null
    entries.delete(key) // refresh its place in the LRU order
    entries.set(key, value)
    return typeof value === 'string'
      ? value
      : { ...value }
  }

  return {
    name: 'isecg-page-cache',
    hasItem: (key: string) => !bypass() && entries.has(key),
    getItem: read,
    getItemRaw: read,
    setItem(key: string, value: string) {
      if (bypass())
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
      entries.delete(key)
      entries.set(key, stored)
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value!)
    },
    removeItem: (key: string) => {
      // Nitro drops an entry when a response it rendered must not be stored (a preview's no-store):
      // that response was not the cached page's, which stays
      if (!bypass())
        entries.delete(key)
    },
    getKeys: () => [
      ...entries.keys(),
    ],
    clear: () => { entries.clear() },
    dispose: () => { entries.clear() },
  }
}
