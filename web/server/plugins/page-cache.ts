// Mounts the bounded, parse-once page cache (server/utils/page-cache-driver.ts) for Nitro's route
// cache in place of the default memory driver. (unmount without dispose runs synchronously.)
export default defineNitroPlugin(() => {
  const max = Number(useRuntimeConfig().pageCacheMaxEntries) || 2000
  const storage = useStorage()
  void storage.unmount('cache', false)
  storage.mount('cache', pageCacheDriver(max))
})
