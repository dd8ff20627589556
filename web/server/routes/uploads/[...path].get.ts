/**
 * Media files uploaded to the CMS, served from this site's origin: /uploads/<file> is proxied to
 * <NUXT_CMS_URL>/uploads/<file>. Only GET, only the uploads folder, no cookies forwarded.
 */
export default defineEventHandler(async (event) => {
  const path = getRouterParam(event, 'path') ?? ''
  if (!path || path.split('/').some(segment => segment === '..' || segment === '')) {
    throw createError({ statusCode: 404, statusMessage: 'Not Found' })
  }
  const { cmsUrl } = useRuntimeConfig(event)
  const target = `${cmsUrl.replace(/\/+$/, '')}/uploads/${path}`
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
