// Mounts the bounded, parse-once page cache (server/utils/page-cache-driver.ts) for Nitro's route
// cache in place of the default memory driver. (unmount without dispose runs synchronously.)
//
// Around the whole h3 app (h3 fixes the path every handler sees when the request enters it):
//  - a request for a cached page (route rule `cache`/`swr`) has its URL cut to the query
//    parameters the page reads (server/utils/page-cache-keys.ts): the route cache keys the page by
//    that URL, and the page renders from it;
//  - the fast path (server/utils/page-snapshots.ts): a cached page whose last answer was recorded
//    is answered with those bytes at once, while its page cache entry is the same and fresh.
//
// A request that carries a member session cookie or a preview cookie neither reads nor fills the cache: the request
// being served is found through Nitro's async context (useEvent(), nitro.experimental.asyncContext),
// which also covers the background revalidation it may start. The same way, a page whose request
// began before the cache was cleared is not stored.
import type { H3Event } from 'h3'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { PageCacheContext } from '../utils/page-cache-driver'

const GENERATION = Symbol('page cache generation')
const USED = Symbol('page cache entry used')

interface Used { key: string, entry: object }
type Context = Record<symbol, unknown>

export default defineNitroPlugin((nitroApp) => {
  const config = useRuntimeConfig()
  const cookieName = config.session.name || 'isecg-session'
  /** Requests that must neither read nor fill the page cache (nor its fast path). */
  const bypass = (req: IncomingMessage) => hasCookie(req.headers.cookie, cookieName)
    // a preview of drafts (server/utils/preview.ts) is one editor's
    || hasCookie(req.headers.cookie, PREVIEW_COOKIE)

  const NO_REQUEST: PageCacheContext = { bypass: false, variant: false }
  const currentEvent = (): H3Event | undefined => {
    try {
      return useEvent()
    }
    catch {
      return undefined // not serving a request (nothing to tell apart)
    }
  }
  const context = (): PageCacheContext => {
    const event = currentEvent()
    if (!event)
      return NO_REQUEST
    return {
      bypass: bypass(event.node.req),
      variant: hasQuery(event.node.req.originalUrl ?? event.node.req.url ?? ''),
      generation: (event.context as Context)[GENERATION] as number | undefined,
    }
  }
  const snapshots = pageSnapshots()
  const storage = useStorage()
  void storage.unmount('cache', false)
  const driver = pageCacheDriver({
    maxEntries: Number(config.pageCacheMaxEntries) || 2000,
    maxVariants: Number(config.pageCacheMaxVariants) || 200,
    context,
    onUse(key, entry) {
      const event = currentEvent()
      if (event)
        (event.context as Context)[USED] = { key, entry } satisfies Used
    },
    onClear: () => snapshots.clear(),
  })
  storage.mount('cache', driver)
  registerPageCache(driver)

  /** Records what is sent for a cached page, to replay it (see page-snapshots.ts). */
  function record(event: H3Event, coding: string, url: string, maxAgeSeconds: number) {
    const res = event.node.res as unknown as Omit<ServerResponse, 'write' | 'end'> & {
      write: (...args: unknown[]) => boolean
      end: (...args: unknown[]) => ServerResponse
    }
    const chunks: Buffer[] = []
    const keep = (chunk: unknown, encoding?: unknown) => {
      if (typeof chunk === 'string') {
        chunks.push(Buffer.from(chunk, typeof encoding === 'string'
          ? encoding as BufferEncoding
          : 'utf8'))
      }
      else if (chunk instanceof Uint8Array) {
        chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength))
      }
    }
    const write = res.write
    const end = res.end
    res.write = function (chunk: unknown, ...rest: unknown[]) {
      keep(chunk, rest[0])
      return write.call(this, chunk, ...rest)
    }
    res.end = function (chunk?: unknown, ...rest: unknown[]) {
      if (typeof chunk !== 'function')
        keep(chunk, rest[0])
      const used = (event.context as Context)[USED] as Used | undefined
      const mtime = (used?.entry as { mtime?: number } | undefined)?.mtime
      if (used && mtime && res.statusCode === 200 && !res.hasHeader('set-cookie') && driver.peek(used.key) === used.entry) {
        const body = Buffer.concat(chunks)
        const headers = {
          ...res.getHeaders(),
        } as Record<string, string | number | string[]>
        if (headers['content-length'] === undefined || Number(headers['content-length']) === body.length) {
          headers['content-length'] = body.length
          snapshots.remember(coding, url, {
            key: used.key,
            entry: used.entry,
            freshUntil: mtime + maxAgeSeconds * 1000,
            headers,
            body,
          })
        }
      }
      return end.call(this, chunk, ...rest)
    }
  }

  const handler = nitroApp.h3App.handler
  nitroApp.h3App.handler = (event) => {
    const req = event.node.req
    ;(event.context as Context)[GENERATION] = driver.generation
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return handler(event)
    if (req.url?.includes('?') && getRouteRules(event).cache) {
      req.url = pageCacheUrl(req.url)
      req.originalUrl = req.url
    }
    if (req.method === 'GET' && !req.headers['if-none-match'] && !req.headers['if-modified-since'] && !bypass(req)) {
      const coding = pickEncoding(req.headers['accept-encoding']) ?? 'identity'
      const url = req.url ?? '/'
      const snapshot = snapshots.find(coding, url, key => driver.peek(key))
      if (snapshot) {
        event.node.res.writeHead(200, snapshot.headers)
        event.node.res.end(snapshot.body)
        return Promise.resolve()
      }
      const rule = getRouteRules(event).cache
      if (rule && rule.maxAge)
        record(event, coding, url, rule.maxAge)
    }
    return handler(event)
  }
})
