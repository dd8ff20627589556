/**
 * Storage driver for Nitro's page cache (the `cache:` mount): entries are kept as parsed objects in
 * a bounded LRU map, so a cache hit neither re-parses the stored JSON (the default memory driver
 * runs destr over the whole page on every hit) nor grows without limit when clients vary the
 * query string. Reads return a shallow copy, because Nitro assigns entry fields while it
 * revalidates and a failed revalidation must leave the stored page untouched.
 */
type Entry = Record<string, unknown>

export function pageCacheDriver(maxEntries = 2000) {
  const entries = new Map<string, Entry | string>()

  const read = (key: string) => {
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
    hasItem: (key: string) => entries.has(key),
    getItem: read,
    getItemRaw: read,
    setItem(key: string, value: string) {
      let stored: Entry | string = value
      try {
        const parsed = JSON.parse(value) as unknown
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
          stored = parsed as Entry
      }
      catch { /* not JSON: keep the string */ }
      entries.delete(key)
      entries.set(key, stored)
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value!)
    },
    removeItem: (key: string) => { entries.delete(key) },
    getKeys: () => [
      ...entries.keys(),
    ],
    clear: () => { entries.clear() },
    dispose: () => { entries.clear() },
  }
}
