/**
 * The CMS read cache: answers of the CMS's public REST API, kept per request URL for a short time,
 * so that rendering a page that is not in the page cache (a new query string, an expired entry)
 * costs a render, not a CMS round trip. Used as the `fetch` of the anonymous CMS client only
 * (server/utils/cms.ts); member reads (asMember, with a JWT), the member endpoints and the
 * subscription endpoints have their own fetch and never pass through it.
 *
 *  - fresh for `ttlMs` after it was fetched: answered from memory;
 *  - older: fetched again; while the CMS is unreachable, times out or answers 5xx/429, the last
 *    answer is served instead (stale), up to `maxStaleMs` after it was fetched. When a stale answer
 *    exists, the CMS gets `staleTimeoutMs` to answer before it is served (not the client's full timeout);
 *  - concurrent requests for the same URL share one CMS call;
 *  - at most `maxEntries` answers (least recently used dropped first), each at most `maxBodyBytes`;
 *  - `clear()` (server/utils/content-caches.ts, with the page cache) drops everything, and an
 *    answer still on its way from before the clear is not stored.
 *
 * Only definitive answers are stored: 200 and 404 (an unpublished single type). Each caller gets
 * its own parsed copy of the body (JSON.parse per read), so no caller can alter another's data.
 */
export interface CmsReadCacheOptions {
  ttlMs: number
  maxStaleMs: number
  maxEntries: number
  staleTimeoutMs?: number
  maxBodyBytes?: number
  fetch?: typeof fetch
  /** Reports serving a stale answer (default: console.warn). */
  onStale?: (url: string, reason: string) => void
  now?: () => number
}

interface Entry {
  status: number
  body: string
  storedAt: number
}

export interface CmsReadCache {
  fetch: typeof fetch
  clear: () => void
  readonly size: number
}

/** The part of a Response the CMS client reads (ok, status, json()). */
function answer(entry: Entry): Response {
  return {
    ok: entry.status >= 200 && entry.status < 300,
    status: entry.status,
    json: async () => JSON.parse(entry.body) as unknown,
    text: async () => entry.body,
  } as Response
}

const STORED = new Set([200, 404])

export function createCmsReadCache(options: CmsReadCacheOptions): CmsReadCache {
  const doFetch = options.fetch ?? globalThis.fetch
  const now = options.now ?? Date.now
  const staleTimeoutMs = options.staleTimeoutMs ?? 3000
  const maxBodyBytes = options.maxBodyBytes ?? 2_000_000
  const onStale = options.onStale ?? ((url: string, reason: string) => console.warn(`[cms cache] serving a stale answer for ${url}: ${reason}`))
  const entries = new Map<string, Entry>()
  const pending = new Map<string, Promise<Entry>>()
  let generation = 0

  function store(url: string, entry: Entry) {
    entries.delete(url)
    entries.set(url, entry)
    while (entries.size > options.maxEntries) entries.delete(entries.keys().next().value!)
  }

  async function load(url: string, init: RequestInit | undefined, stale: Entry | undefined): Promise<Entry> {
    const started = generation
    const signal = stale
      ? AbortSignal.any([
          ...(init?.signal
            ? [init.signal]
            : []),
          AbortSignal.timeout(staleTimeoutMs),
        ])
      : init?.signal
    let entry: Entry
    try {
      const response = await doFetch(url, { ...init, signal })
      entry = {
        status: response.status,
        body: await response.text(),
        storedAt: now(),
      }
    }
    catch (error) {
      if (stale) {
        onStale(url, (error as Error)?.message ?? String(error))
        return stale
      }
      throw error
    }
    if (stale && (entry.status >= 500 || entry.status === 429)) {
      onStale(url, `the CMS answered ${entry.status}`)
      return stale
    }
    if (STORED.has(entry.status) && entry.body.length <= maxBodyBytes && started === generation)
      store(url, entry)
    return entry
  }

  const cachedFetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === 'string'
      ? input
      : input instanceof URL
        ? input.href
        : input.url
    const method = (init?.method ?? 'GET').toUpperCase()
    const headers = new Headers(init?.headers)
    // Only anonymous reads: anything else goes straight to the CMS.
    if (options.ttlMs <= 0 || method !== 'GET' || headers.has('authorization') || headers.has('cookie'))
      return doFetch(input, init)

    const cached = entries.get(url)
    const age = cached
      ? now() - cached.storedAt
      : Infinity
    if (cached && age < options.ttlMs) {
      entries.delete(url) // refresh its place in the LRU order
      entries.set(url, cached)
      return answer(cached)
    }
    const stale = cached && age < options.maxStaleMs
      ? cached
      : undefined
    let loading = pending.get(url)
    if (!loading) {
      loading = load(url, init, stale).finally(() => {
        if (pending.get(url) === loading)
          pending.delete(url)
      })
      pending.set(url, loading)
    }
    return answer(await loading)
  }) as typeof fetch

  return {
    fetch: cachedFetch,
    clear() {
      generation++
      entries.clear()
      pending.clear()
    },
    get size() { return entries.size },
  }
}
