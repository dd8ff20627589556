/**
 * Compresses text responses (HTML, feeds, JSON) for clients that accept brotli or gzip. A page
 * served from the route cache carries an ETag naming its version, so its compressed bytes are
 * kept in a small LRU and a cache hit costs a map lookup, not a compression.
 */
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'

const COMPRESSIBLE = /^(text\/|application\/(json|xml|rss\+xml|atom\+xml|javascript))/
const MIN_BYTES = 1024
const MAX_ENTRIES = 500
const compressed = new Map<string, Buffer>()

function pickEncoding(acceptEncoding: string | undefined): 'br' | 'gzip' | null {
  const accept = (acceptEncoding ?? '').toLowerCase()
  const allows = (name: string) => new RegExp(`(^|,)\\s*${name}\\s*(;\\s*q=(?!0(\\.0*)?\\s*(,|$))[\\d.]+)?\\s*(,|$)`).test(accept)
  if (allows('br'))
    return 'br'
  if (allows('gzip'))
    return 'gzip'
  return null
}

function compress(body: string, encoding: 'br' | 'gzip') {
  return encoding === 'br'
    ? brotliCompressSync(body, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
      })
    : gzipSync(body, { level: 6 })
}

export default defineNitroPlugin((nitroApp) => {
  nitroApp.hooks.hook('beforeResponse', (event, response) => {
    const body = response.body
    if (typeof body !== 'string' || body.length < MIN_BYTES || event.method === 'HEAD')
      return
    // Nuxt renders error pages through an internal request whose text it re-sends itself:
    // compressing that inner response would corrupt the page.
    if (event.path.startsWith('/__nuxt_error') || getRequestHeader(event, 'x-nuxt-error'))
      return
    if (getResponseHeader(event, 'content-encoding'))
      return
    if (!COMPRESSIBLE.test(String(getResponseHeader(event, 'content-type') ?? '')))
      return
    appendResponseHeader(event, 'vary', 'Accept-Encoding')
    const encoding = pickEncoding(getRequestHeader(event, 'accept-encoding'))
    if (!encoding)
      return

    const etag = getResponseHeader(event, 'etag')
    const key = etag
      ? `${encoding}|${etag}|${body.length}`
      : ''
    let bytes = key
      ? compressed.get(key)
      : undefined
    if (!bytes) {
      bytes = compress(body, encoding)
      if (key) {
        compressed.set(key, bytes)
        if (compressed.size > MAX_ENTRIES)
          compressed.delete(compressed.keys().next().value!)
      }
    }
    setResponseHeader(event, 'content-encoding', encoding)
    setResponseHeader(event, 'content-length', bytes.length)
    response.body = bytes
  })
})
