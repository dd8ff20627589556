/** robots.txt pointing crawlers at the sitemap on the public origin; the Private Area is not for them. */
export default defineEventHandler((event) => {
  const siteUrl = siteOrigin(event)
  setResponseHeader(event, 'content-type', 'text/plain; charset=utf-8')
  return `User-agent: *\nAllow: /\nDisallow: /private-area\n\nSitemap: ${siteLink(siteUrl, '/sitemap.xml')}\n`
})
