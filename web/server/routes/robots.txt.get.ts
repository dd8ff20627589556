/** robots.txt pointing crawlers at the sitemap on the public origin. */
export default defineEventHandler((event) => {
  const siteUrl = siteOrigin(event)
  setResponseHeader(event, 'content-type', 'text/plain; charset=utf-8')
  return `User-agent: *\nAllow: /\n\nSitemap: ${siteLink(siteUrl, '/sitemap.xml')}\n`
})
