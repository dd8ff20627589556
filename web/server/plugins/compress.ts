/**
 * Compresses text responses (HTML, feeds, JSON) for clients that accept brotli or gzip. A page
 * served from the route cache carries an ETag naming its version, so its compressed bytes are
 * kept in a small LRU and a cache hit costs a map lookup, not a compression. For clients that take
 * no compression, the same LRU keeps the page's UTF-8 bytes: the route cache stores the page as a
 * string, and encoding ~50 kB of it for every answer was the largest cost of a cache hit.
 */
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'

const COMPRESSIBLE = /^(?:text\/|application\/(?:json|xml|rss\+xml|atom\+xml|javascript))/
const MIN_BYTES = 1024
const MAX_ENTRIES = 500
const MAX_BYTES = 64 * 1024 * 1024
const compressed = new Map<string, Buffer>()
let storedBytes = 0

function remember(key: string, bytes: Buffer) {
  const previous = compressed.get(key)
  if (previous)
    storedBytes -= previous.length
  compressed.set(key, bytes)
  storedBytes += bytes.length
  while (compressed.size > MAX_ENTRIES || storedBytes > MAX_BYTES) {
    const oldest = compressed.keys().next().value!
    storedBytes -= compressed.get(oldest)!.length
    compressed.delete(oldest)
  }
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
    const etag = getResponseHeader(event, 'etag')
    if (!encoding && !etag)
      return

    const key = etag
      ? `${encoding ?? 'identity'}|${etag}|${body.length}`
      : ''
    let bytes = key
      ? compressed.get(key)
      : undefined
    if (bytes) {
      compressed.delete(key) // refresh its place in the LRU order
      compressed.set(key, bytes)
    }
    else {
      bytes = encoding
        ? compress(body, encoding)
        : Buffer.from(body, 'utf8')
      if (key)
        remember(key, bytes)
    }
    if (encoding)
      setResponseHeader(event, 'content-encoding', encoding)
    setResponseHeader(event, 'content-length', bytes.length)
    response.body = bytes
  })
})
