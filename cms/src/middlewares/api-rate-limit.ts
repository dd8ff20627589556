/**
 * Rate limits of the REST API for outside callers (src/content-api/rate-limit.ts): 429 with
 * `Retry-After` beyond the limit, and on every limited answer the `RateLimit-Policy`,
 * `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` headers (IETF draft "RateLimit
 * header fields for HTTP"). Anonymous callers are counted per client address (as Koa sees it:
 * `server.proxy` decides whether X-Forwarded-For is trusted), API tokens per token; a request
 * whose token turns out invalid (401) also counts against its address, so that made-up tokens do
 * not buy the higher limit. The site's server (a valid X-Site-Key) is not limited.
 */
import type { Core } from '@strapi/strapi'
import { createHash } from 'node:crypto'
import { matchesSecret } from '../content-api/caller'
import { apiRateLimiter } from '../content-api/rate-limit'

interface Context {
  path: string
  ip: string
  status: number
  body: unknown
  request: { headers: Record<string, string | string[] | undefined> }
  set: (name: string, value: string) => void
}

const SITE_KEY_MIN_LENGTH = 32

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  const limiter = apiRateLimiter(strapi)
  const { settings } = limiter
  return async (ctx: Context, next: () => Promise<unknown>) => {
    if (!settings.enabled || !ctx.path.startsWith('/api/'))
      return next()
    const headers = ctx.request.headers
    const siteKey = headers['x-site-key']
    if (typeof siteKey === 'string' && matchesSecret(siteKey, process.env.SITE_API_KEY, SITE_KEY_MIN_LENGTH))
      return next()
    const authorization = typeof headers.authorization === 'string'
      ? headers.authorization
      : ''
    const token = /^bearer\s+(\S+)$/i.exec(authorization)?.[1]
    const [key, limit] = token
      ? [`token:${createHash('sha256').update(token).digest('hex')}`, settings.token]
      : [`ip:${ctx.ip}`, settings.anonymous]
    const decision = limiter.take(key, limit)
    ctx.set('RateLimit-Policy', `${limit};w=${Math.round(settings.windowMs / 1000)}`)
    ctx.set('RateLimit-Limit', String(decision.limit))
    ctx.set('RateLimit-Remaining', String(decision.remaining))
    ctx.set('RateLimit-Reset', String(decision.resetSeconds))
    if (!decision.allowed) {
      ctx.status = 429
      ctx.set('Retry-After', String(decision.resetSeconds))
      ctx.body = {
        data: null,
        error: {
          status: 429,
          name: 'TooManyRequestsError',
          message: `Too many requests: at most ${limit} per ${Math.round(settings.windowMs / 1000)} seconds. Try again in ${decision.resetSeconds} seconds.`,
          details: {},
        },
      }
      return
    }
    await next()
    if (token && ctx.status === 401)
      limiter.take(`ip:${ctx.ip}`, settings.anonymous)
  }
}
