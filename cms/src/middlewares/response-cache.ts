/**
 * Answers anonymous Content API reads from memory (src/content-api/response-cache.ts says what is
 * cached, for whom, and how it is invalidated). Every GET of a cacheable path says `X-Cache: HIT`
 * (from the cache), `MISS` (computed, and stored when it was a 200) or `BYPASS` (the request carries
 * a credential: computed for its caller, never stored, never answered from the cache).
 */
import type { Core } from '@strapi/strapi'
import { cacheKey, hasCredentials, responseCache } from '../content-api/response-cache'

interface Context {
  method: string
  path: string
  querystring: string
  status: number
  body: unknown
  type: string
  request: { headers: Record<string, string | string[] | undefined> }
  response: { get: (name: string) => string | string[] | undefined }
  set: (name: string, value: string) => void
}

const JSON_TYPE = 'application/json; charset=utf-8'

function isJsonBody(body: unknown): boolean {
  return typeof body === 'object' && body !== null && !Buffer.isBuffer(body) && typeof (body as { pipe?: unknown }).pipe !== 'function'
}

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  const cache = responseCache(strapi)
  return async (ctx: Context, next: () => Promise<unknown>) => {
    if (!cache.options.enabled || ctx.method !== 'GET' || !cache.paths.test(ctx.path))
      return next()
    if (hasCredentials(ctx.request.headers)) {
      ctx.set('X-Cache', 'BYPASS')
      return next()
    }
    try {
      await cache.sync()
    }
    catch (error) {
      // the generation cannot be read: answer without the cache rather than risk a stale answer
      strapi.log.warn(`response cache: generation unreadable, not caching (${(error as Error).message})`)
      ctx.set('X-Cache', 'BYPASS')
      return next()
    }
    const key = cacheKey(ctx.path, ctx.querystring)
    const hit = cache.store.get(key)
    if (hit) {
      ctx.status = 200
      ctx.type = hit.type
      ctx.body = hit.body
      ctx.set('X-Cache', 'HIT')
      return
    }
    const epoch = cache.store.epoch
    ctx.set('X-Cache', 'MISS')
    await next()
    if (ctx.status !== 200 || !isJsonBody(ctx.body) || ctx.response.get('set-cookie'))
      return
    const body = Buffer.from(JSON.stringify(ctx.body))
    ctx.type = JSON_TYPE
    ctx.body = body
    cache.store.set(key, { body, type: JSON_TYPE }, epoch)
  }
}
