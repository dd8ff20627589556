/**
 * The page cache's fast path (server/plugins/page-cache.ts): the exact bytes and headers last sent
 * for a cached page, per URL and response coding, replayed to the next request for it without
 * entering Nitro's app (router, middleware, route cache, hooks, compression), which cost more than
 * half of a cache hit.
 *
 * A snapshot is served only while it is provably what the full path would send:
 *  - it is tied to the page cache entry it was sent from, by identity: when that entry is replaced
 *    (revalidated), evicted or cleared (content changed), the snapshot is dead;
 *  - until that entry's freshness ends (its mtime plus the route's maxAge): after that, requests go
 *    the full way, so that Nitro serves stale-while-revalidate and refreshes the entry;
 *  - only for plain GET requests without a member session or conditional headers (those take the
 *    full path: the session bypass, 304 answers), and only 200 answers without Set-Cookie.
 * Bounded by count and bytes (least recently used dropped first).
 */
export interface Snapshot {
  /** the page cache key and stored entry it was sent from */
  key: string
  entry: object
  freshUntil: number
  headers: Record<string, string | number | string[]>
  body: Buffer
}

export function pageSnapshots(maxEntries = 1000, maxBytes = 64 * 1024 * 1024) {
  const snapshots = new Map<string, Snapshot>()
  let bytes = 0

  const drop = (id: string) => {
    const old = snapshots.get(id)
    if (old) {
      bytes -= old.body.length
      snapshots.delete(id)
    }
  }

  return {
    get size() {
      return snapshots.size
    },
    /** The snapshot for this coding and URL when it is still valid, per `current(key)` (the entry stored now). */
    find(coding: string, url: string, current: (key: string) => object | undefined, now = Date.now()): Snapshot | undefined {
      const id = `${coding} ${url}`
      const snapshot = snapshots.get(id)
      if (!snapshot)
        return undefined
      if (current(snapshot.key) !== snapshot.entry || now >= snapshot.freshUntil) {
        drop(id)
        return undefined
      }
      return snapshot
    },
    remember(coding: string, url: string, snapshot: Snapshot) {
      const id = `${coding} ${url}`
      drop(id)
      snapshots.set(id, snapshot)
      bytes += snapshot.body.length
      while (snapshots.size > 0 && (snapshots.size > maxEntries || bytes > maxBytes)) drop(snapshots.keys().next().value!) // eslint-disable-line no-unmodified-loop-condition -- drop() lowers both
    },
    clear() {
      snapshots.clear()
      bytes = 0
    },
  }
}
