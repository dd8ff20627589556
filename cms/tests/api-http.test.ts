import type { CmsInstance } from './harness'
/**
 * HTTP for the agencies' clients on the REST API: ETag and 304 (src/middlewares/conditional-get.ts),
 * rate limits per client and per token with 429, Retry-After and RateLimit headers, counters shared
 * through the database (src/middlewares/api-rate-limit.ts, src/content-api/rate-limit.ts), and CORS
 * for GET from any origin. The real CMS on a temporary SQLite file.
 */
import { createHash } from 'node:crypto'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { distDir, startCms } from './harness'

const require = createRequire(import.meta.url)
const LIMIT = 30
const NEWS = 'api::news-article.news-article'

let cms: CmsInstance

beforeAll(async () => {
  cms = await startCms({
    env: {
      API_RATE_LIMIT: String(LIMIT),
      API_RATE_LIMIT_TOKEN: '1000',
      API_RATE_LIMIT_SYNC_MS: '100',
    },
  })
})

afterAll(async () => {
  await cms?.stop()
})

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${cms.url}${path}`, { headers })

describe('conditional requests', () => {
  it('answers 304 to a repeated conditional request for a list and an entry, and 200 once it changed', async () => {
    // by the site's key: these requests are not what the rate-limit test below counts
    const site = { 'x-site-key': cms.siteKey }
    const list = await get('/api/news-articles?sort=date:desc', site)
    expect(list.status).toBe(200)
    const tag = list.headers.get('etag')
    expect(tag).toMatch(/^W\/"[\w-]+"$/)
    const again = await get('/api/news-articles?sort=date:desc', { ...site, 'if-none-match': tag! })
    expect(again.status).toBe(304)
    expect(await again.text()).toBe('')

    const first = (await list.json() as { data: Array<{ documentId: string }> }).data[0]!
    const entry = await get(`/api/news-articles/${first.documentId}`, site)
    expect(entry.status).toBe(200)
    const entryTag = entry.headers.get('etag')!
    expect((await get(`/api/news-articles/${first.documentId}`, { ...site, 'if-none-match': entryTag })).status).toBe(304)

    await cms.strapi.documents(NEWS).update({
      documentId: first.documentId,
      data: { summary: 'Changed for the ETag test.' } as never,
      status: 'published',
    } as never)
    const changed = await get(`/api/news-articles/${first.documentId}`, { ...site, 'if-none-match': entryTag })
    expect(changed.status).toBe(200)
    expect(changed.headers.get('etag')).not.toBe(entryTag)
  })
})

describe('rate limits', () => {
  it(`refuses an anonymous client beyond ${LIMIT} requests a minute with 429, Retry-After and RateLimit headers`, async () => {
    const statuses: number[] = []
    let last: Response | undefined
    for (let i = 0; i < LIMIT + 5; i++) {
      last = await get('/api/faqs')
      statuses.push(last.status)
      if (i === 0) {
        expect(last.headers.get('ratelimit-limit')).toBe(String(LIMIT))
        expect(last.headers.get('ratelimit-remaining')).toBe(String(LIMIT - 1))
        expect(last.headers.get('ratelimit-policy')).toBe(`${LIMIT};w=60`)
      }
    }
    expect(statuses.slice(0, LIMIT).every(status => status === 200)).toBe(true)
    expect(statuses.slice(LIMIT)).toEqual(Array.from({ length: 5 }).fill(429))
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(Number(last!.headers.get('retry-after'))).toBeLessThanOrEqual(60)
    expect(last!.headers.get('ratelimit-remaining')).toBe('0')
    expect((await last!.json() as { error: { status: number, name: string } }).error).toMatchObject({ status: 429, name: 'TooManyRequestsError' })
  })

  it('does not limit an API token at that rate, nor the site\'s server; a made-up token is not a way around', async () => {
    const { accessKey } = await cms.strapi.service('admin::api-token').create({
      name: `agency-${Date.now()}`,
      description: 'rate limit test',
      type: 'read-only',
      lifespan: null,
    }) as { accessKey: string }
    for (let i = 0; i < LIMIT + 10; i++) {
      const response = await get('/api/faqs', { authorization: `Bearer ${accessKey}` })
      expect(response.status, `request ${i + 1}`).toBe(200)
      if (i === 0)
        expect(response.headers.get('ratelimit-limit')).toBe('1000')
    }
    expect((await get('/api/faqs', { 'x-site-key': cms.siteKey })).status).toBe(200)
    // this address is over its limit (the test above): a made-up token is refused (401), and counted against it
    expect((await get('/api/faqs', { authorization: 'Bearer made-up' })).status).toBe(401)
    expect((await get('/api/faqs')).status).toBe(429)
  })

  it('shares the counters through the database: another instance learns the total and refuses too', async () => {
    const { ApiRateLimiter, apiRateLimiter, apiRateLimitSettings } = require(join(distDir, 'src/content-api/rate-limit.js'))
    await apiRateLimiter(cms.strapi).sync()
    const row = await cms.strapi.db.connection('isecg_rate_limits')
      .where({
        id_hash: createHash('sha256').update('api:ip:127.0.0.1').digest('hex'),
      })
      .first() as { hits: number } | undefined
    expect(Number(row?.hits)).toBeGreaterThanOrEqual(LIMIT)
    // a second instance: its own memory, the same database
    const other = new ApiRateLimiter(cms.strapi, apiRateLimitSettings())
    expect(other.take('ip:127.0.0.1', LIMIT).allowed).toBe(true) // it knows nothing yet
    await other.sync()
    expect(other.take('ip:127.0.0.1', LIMIT).allowed).toBe(false)
  })
})

describe('cORS', () => {
  it('lets any origin GET public content', async () => {
    const response = await get('/api/member-agencies', { 'origin': 'https://agency.example', 'x-site-key': cms.siteKey })
    expect(response.status).toBe(200)
    expect(['*', 'https://agency.example']).toContain(response.headers.get('access-control-allow-origin'))
    // never with the visitor's cookies: another site could otherwise read answers made for them
    expect(response.headers.get('access-control-allow-credentials')).toBeNull()
    expect(response.headers.get('access-control-expose-headers')).toContain('ETag')
    const preflight = await fetch(`${cms.url}/api/news-articles`, {
      method: 'OPTIONS',
      headers: { 'origin': 'https://agency.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization,if-none-match' },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET,HEAD,OPTIONS')
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull()
  })
})
