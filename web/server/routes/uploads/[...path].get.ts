/**
 * Media files uploaded to the CMS, served from this site's origin: /uploads/<file> is proxied to
 * <NUXT_CMS_URL>/uploads/<file>. Only GET, only the uploads folder, no cookies forwarded.
 */
export default defineEventHandler(async (event) => {
  const path = getRouterParam(event, 'path') ?? ''
  // Only plain file paths below /uploads: no empty, dot or dot-dot segments, raw or percent-encoded
  // (URL parsing would turn %2e%2e into .. and step out of the folder), no backslashes.
  const segments = path.split('/')
  const decoded = segments.map((segment) => {
    try { return decodeURIComponent(segment) }
    catch { return '' }
  })
  if (!path || decoded.some(segment => !segment || segment === '.' || segment === '..' || /[\\/\0]/.test(segment))) {
    throw createError({ statusCode: 404, statusMessage: 'Not Found' })
  }
  const target = `${cmsOrigin(event)}/uploads/${path}`
  try {
    return await proxyRequest(event, target, {
      headers: { cookie: '', authorization: '' },
      onResponse: (proxied) => {
        if (proxied.node.res.statusCode === 200) {
          setResponseHeader(proxied, 'cache-control', 'public, max-age=3600')
        }
      },
    })
  }
  catch {
    throw createError({ statusCode: 503, statusMessage: 'Service Unavailable' })
  }
})
