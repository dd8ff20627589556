// Mounts the bounded, parse-once page cache (server/utils/page-cache-driver.ts) for Nitro's route
// cache in place of the default memory driver. (unmount without dispose runs synchronously.)
//
// A request that carries a member session cookie neither reads nor fills the cache: the request
// being served is found through Nitro's async context (useEvent(), nitro.experimental.asyncContext),
// which also covers the background revalidation it may start.
export default defineNitroPlugin(() => {
  const config = useRuntimeConfig()
  const max = Number(config.pageCacheMaxEntries) || 2000
  const cookieName = config.session.name || 'isecg-session'
  const bypass = () => {
    let event
    try {
      event = useEvent()
    }
    catch {
      return false // not serving a request (nothing to tell apart)
    }
    return hasCookie(event.node.req.headers.cookie, cookieName)
      // a preview of drafts (server/utils/preview.ts) is one editor's
      || hasCookie(event.node.req.headers.cookie, PREVIEW_COOKIE)
  }
  const storage = useStorage()
  void storage.unmount('cache', false)
  const driver = pageCacheDriver(max, bypass)
  storage.mount('cache', driver)
  registerPageCache(driver)
})
