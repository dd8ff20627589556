// Mounts the bounded, parse-once page cache (server/utils/page-cache-driver.ts) for Nitro's route
// cache in place of the default memory driver. (unmount without dispose runs synchronously.)
//
// Before any handler sees a request for a cached page (route rule `cache`/`swr`), its URL is cut
// to the query parameters the page reads (server/utils/page-cache-keys.ts): the route cache keys
// the page by that URL, and the page renders from it. This runs around the whole h3 app, since h3
// fixes the path every handler sees when the request enters it.
//
// A request that carries a member session cookie neither reads nor fills the cache: the request
// being served is found through Nitro's async context (useEvent(), nitro.experimental.asyncContext),
// which also covers the background revalidation it may start. The same way, a page whose request
// began before the cache was cleared is not stored.
import type { H3Event } from 'h3'
import type { PageCacheContext } from '../utils/page-cache-driver'

const GENERATION = Symbol('page cache generation')

export default defineNitroPlugin((nitroApp) => {
  const config = useRuntimeConfig()
  const cookieName = config.session.name || 'isecg-session'
  const NO_REQUEST: PageCacheContext = { bypass: false, variant: false }
  const context = (): PageCacheContext => {
    let event: H3Event
    try {
      event = useEvent()
    }
    catch {
      return NO_REQUEST // not serving a request (nothing to tell apart)
    }
    return {
      bypass: hasCookie(event.node.req.headers.cookie, cookieName),
      variant: hasQuery(event.node.req.originalUrl ?? event.node.req.url ?? ''),
      generation: (event.context as Record<symbol, number | undefined>)[GENERATION],
    }
  }
  const storage = useStorage()
  void storage.unmount('cache', false)
  const driver = pageCacheDriver({
    maxEntries: Number(config.pageCacheMaxEntries) || 2000,
    maxVariants: Number(config.pageCacheMaxVariants) || 200,
    context,
  })
  storage.mount('cache', driver)
  registerPageCache(driver)

  const handler = nitroApp.h3App.handler
  nitroApp.h3App.handler = (event) => {
    const req = event.node.req
    ;(event.context as Record<symbol, number>)[GENERATION] = driver.generation
    if ((req.method === 'GET' || req.method === 'HEAD') && req.url?.includes('?') && getRouteRules(event).cache) {
      req.url = pageCacheUrl(req.url)
      req.originalUrl = req.url
    }
    return handler(event)
  }
})
