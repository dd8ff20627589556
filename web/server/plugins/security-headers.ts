/**
 * Security headers on every response of the site (helpers in server/utils/security-headers.ts):
 * X-Content-Type-Options, Referrer-Policy, Permissions-Policy, X-Frame-Options, HSTS when the public
 * site URL is https, and a Content-Security-Policy: for pages, one whose script-src lists the SHA-256
 * hashes of the page's own inline scripts; for everything else, one that lets nothing run.
 *
 * Why not the nuxt-security module: its CSP for server-rendered pages relies on a per-request nonce
 * written into the HTML. Our pages are cached in Nitro (swr route rules, server/plugins/page-cache.ts):
 * a cached page would be served with the nonce of the render that produced it, either under a new
 * nonce in the header (scripts blocked: nuxt-security issue #428) or with the old one repeated to
 * every visitor (no longer a nonce). Its hash mode is only for prerendered (`nuxi generate`) pages.
 * Hashes fit cached pages: they are computed once per render and stored with the page, so the header
 * always matches the bytes it is served with. The rest of the module (rate limiter, XSS validator,
 * request size limits, ...) is not needed here, so a small plugin does the job.
 *
 * Where each response gets its headers:
 * - every request: all but the CSP (`request` hook, before any handler);
 * - rendered pages (and Nuxt's error page, whose headers Nuxt copies onto the error response): the
 *   page CSP, set while rendering (`render:html`), so that Nitro's route cache stores it with the page
 *   and every cache hit sends it again;
 * - any other response with a body (API routes, feed, sitemap, robots, static assets): the resource
 *   CSP (`beforeResponse`);
 * - JSON errors: server/error.ts (Nitro's default error handler would set its own);
 * - /uploads: the proxy drops the CMS's headers and sets these (server/routes/uploads).
 */
export default defineNitroPlugin((nitroApp) => {
  const config = securityConfig(useRuntimeConfig().public)
  const { 'content-security-policy': resourceCsp, ...defaults } = securityHeaders(config)

  nitroApp.hooks.hook('request', (event) => {
    setResponseHeaders(event, defaults)
  })

  // The CSP is not among the defaults: a 304 answer to a cached page's revalidation is sent by the
  // route cache before any page header is restored, and browsers update the stored page's headers
  // with those of a 304. Without a CSP, the 304 leaves the page's own in place.
  nitroApp.hooks.hook('beforeResponse', (event) => {
    if (event.node.res.statusCode === 304 || getResponseHeader(event, 'content-security-policy'))
      return
    setResponseHeader(event, 'content-security-policy', resourceCsp!)
  })

  nitroApp.hooks.hook('render:html', (html, { event }) => {
    // Only what Nuxt and unhead render in <head> and at the end of <body> is hashed; the page body
    // (`html.body`, `html.bodyPrepend`) holds CMS content, where a script must stay blocked.
    const scripts = inlineScripts(html.head, html.bodyAppend)
    const frameAncestors = event.context.security?.frameAncestors
    // A header a route rule sets (e.g. Referrer-Policy: same-origin on /subscribe/**) wins over
    // the default set here again.
    const ruled = new Set(Object.keys(getRouteRules(event).headers ?? {}).map(name => name.toLowerCase()))
    const headers = Object.fromEntries(Object.entries(securityHeaders(config, frameAncestors)).filter(([name]) => !ruled.has(name)))
    setResponseHeaders(event, {
      ...headers,
      'content-security-policy': documentPolicy(config, scripts, frameAncestors),
    })
    if (!headers['x-frame-options'])
      removeResponseHeader(event, 'x-frame-options')
  })
})
