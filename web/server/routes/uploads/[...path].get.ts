/**
 * Media files uploaded to the CMS, served from this site's origin: /uploads/<file> is proxied to
 * <NUXT_CMS_URL>/uploads/<file>. Only GET, only the uploads folder, no cookies forwarded.
 *
 * The answer keeps only the CMS's headers that describe the file; its security headers describe the
 * CMS (its CSP, HSTS, CORS, X-Powered-By) and are replaced by the site's (the resource CSP: nothing
 * in a file opened from here can run). Script files are served as plain bytes: pages allow scripts
 * from this origin ('self'), which must not include whatever was uploaded to the CMS. CMS errors
 * become the site's own 404 or 503 (branded page or JSON), never the CMS's body.
 */
const KEPT_HEADERS = new Set([
  'content-type',
  'content-length',
  'content-range',
  'accept-ranges',
  'content-disposition',
  'etag',
  'last-modified',
  'cache-control',
  'date',
])
const SCRIPT_TYPES = /^\s*(?:text|application)\/(?:x-)?(?:java|ecma)script\b|^\s*text\/(?:jscript|livescript)\b/i

export default defineEventHandler(async (event) => {
  const path = getRouterParam(event, 'path') ?? ''
  // Only plain file paths below /uploads: no empty, dot or dot-dot segments, raw or percent-encoded
  // (URL parsing would turn %2e%2e into .. and step out of the folder), no backslashes.
  const segments = path.split('/')
  const decoded = segments.map((segment) => {
    try {
      return decodeURIComponent(segment)
    }
    catch {
      return ''
    }
  })
  if (!path || decoded.some(segment => !segment || segment === '.' || segment === '..' || /[\\/\0]/.test(segment))) {
    throw createError({ statusCode: 404, statusMessage: 'Not Found' })
  }
  const config = useRuntimeConfig()
  const target = `${cmsOrigin(event)}/uploads/${path}`
  try {
    return await proxyRequest(event, target, {
      headers: { cookie: '', authorization: '' },
      onResponse: (proxied, upstream) => {
        for (const name of proxied.node.res.getHeaderNames()) {
          if (!KEPT_HEADERS.has(name))
            proxied.node.res.removeHeader(name)
        }
        setResponseHeaders(proxied, securityHeaders(securityConfig(config.public)))
        if (upstream.status === 404)
          throw createError({ statusCode: 404, statusMessage: 'Not Found' })
        if (upstream.status >= 400)
          throw createError({ statusCode: 503, statusMessage: 'Service Unavailable' })
        if (SCRIPT_TYPES.test(String(getResponseHeader(proxied, 'content-type') ?? ''))) {
          setResponseHeader(proxied, 'content-type', 'application/octet-stream')
        }
        if (upstream.status === 200) {
          setResponseHeader(proxied, 'cache-control', 'public, max-age=3600')
        }
      },
    })
  }
  catch (error) {
    if (isError(error) && error.statusCode === 404)
      throw error
    throw createError({ statusCode: 503, statusMessage: 'Service Unavailable' })
  }
})
