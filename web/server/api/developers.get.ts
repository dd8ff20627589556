/**
 * What the /developers page shows of this installation: the Content API's public base URL
 * (NUXT_API_PUBLIC_URL, else the CMS origin + /api) and the site's (NUXT_PUBLIC_SITE_URL).
 */
export default defineEventHandler((event) => {
  const configured = useRuntimeConfig().apiPublicUrl
  return {
    apiUrl: (configured || `${cmsOrigin(event)}/api`).replace(/\/+$/, ''),
    siteUrl: siteOrigin(event),
  }
})
