/**
 * Error handler for the responses Nuxt's own error handler leaves alone: JSON errors (API routes, and
 * clients that do not ask for HTML). Registered after Nuxt's handler in nuxt.config.ts; HTML errors
 * are rendered by Nuxt (app/error.vue) and carry the page headers (server/plugins/security-headers.ts).
 *
 * The body is Nitro's own (status, status message, and the error's message only for errors raised on
 * purpose: "Server Error" for anything unexpected; never a stack in production). Nitro would send it
 * with its own, partial security headers (Referrer-Policy: no-referrer, a CSP without the rest);
 * here it gets the site's.
 */
export default defineNitroErrorHandler(async (error, event, { defaultHandler }) => {
  const response = await defaultHandler(error, event, { json: true })
  const config = securityConfig(useRuntimeConfig().public)
  setResponseHeaders(event, {
    ...response.headers,
    ...securityHeaders(config, event.context.security?.frameAncestors),
  })
  setResponseStatus(event, response.status, response.statusText)
  return send(event, JSON.stringify(response.body, null, 2))
})
