import type { CmsInstance } from '../../../cms/tests/harness'
import type { CmsProxy } from '../support/cms-proxy'
import type { SiteInstance } from '../support/site'
/**
 * The CMS read cache (server/utils/cms-cache.ts) through the built site, with the CMS behind a
 * counting proxy: a page that is not in the page cache is rendered from CMS answers read moments
 * ago, the last answers are served while the CMS is down, the purge empties the page cache and the
 * CMS read cache together, and a member's reads are never cached.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCms } from '../../../cms/tests/harness'
import { createMember } from '../../../cms/tests/support/members'
import { startCmsProxy } from '../support/cms-proxy'
import { startSite } from '../support/site'
import { createVisitor } from '../support/visitor'

// short, so that the stale case does not wait long; long enough for two requests in a row
const TTL_SECONDS = 4

let cms: CmsInstance
let proxy: CmsProxy
let site: SiteInstance

beforeAll(async () => {
  cms = await startCms()
  proxy = await startCmsProxy(cms.url)
  site = await startSite({
    cmsUrl: proxy.url,
    siteKey: cms.siteKey,
    env: {
      NUXT_CMS_CACHE_TTL: String(TTL_SECONDS),
    },
  })
})

afterAll(async () => {
  await site?.stop()
  await proxy?.stop()
  await cms?.stop()
})

/**
 * A member-session cookie (not a valid session: the page renders as for anyone) makes the page
 * cache step aside, so the page is rendered now. (A new query string no longer does: the page
 * cache keys a page by the parameters it reads only.)
 */
const RENDER = { cookie: 'isecg-session=not-a-session' }

async function get(path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${site.url}${path}`, {
    redirect: 'manual',
    headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8', ...headers },
  })
  return { status: response.status, text: await response.text() }
}

function purge(key: string) {
  return fetch(`${site.url}/api/cache/purge`, {
    method: 'POST',
    headers: { 'x-site-key': key },
  })
}
const cmsCalls = (prefix: string) => proxy.requests.filter(path => path.startsWith(prefix))
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

describe('cms read cache', () => {
  it('renders a page missing from the page cache without calling the CMS for data it read moments ago', async () => {
    const first = await get('/members', RENDER)
    expect(first.status).toBe(200)
    proxy.reset()
    const second = await get('/members', RENDER)
    expect(second.status).toBe(200)
    expect(second.text).toContain('Member agencies')
    expect(proxy.requests).toEqual([])
  })

  it('serves the last answer when the CMS is down once it has expired, and a 503 for data it never read', async () => {
    expect((await get('/faq', RENDER)).status).toBe(200)
    await sleep(TTL_SECONDS * 1000 + 500)
    proxy.reset()
    proxy.available = false
    try {
      const page = await get('/faq', RENDER)
      expect(page.status).toBe(200)
      expect(page.text).toContain('Frequently asked questions')
      // the CMS was asked (the answer had expired) and could not answer
      expect(cmsCalls('/api/faqs')).not.toEqual([])
      expect((await get(`/news/never-read-${Date.now()}`)).status).toBe(503)
    }
    finally {
      proxy.available = true
    }
    expect(site.output()).toContain('[cms cache] serving a stale answer')
  })

  it('empties the page cache and the CMS read cache together on a purge with the site key, and only then', async () => {
    expect((await get('/members')).status).toBe(200)
    proxy.reset()
    expect((await get('/members')).status).toBe(200)
    expect(proxy.requests).toEqual([]) // a page cache hit

    expect((await purge('not-the-key')).status).toBe(404)
    expect((await get('/members')).status).toBe(200)
    expect(proxy.requests).toEqual([])

    expect((await purge(cms.siteKey)).status).toBe(204)
    const page = await get('/members')
    expect(page.status).toBe(200)
    expect(page.text).toContain('Member agencies')
    // rendered again (page cache emptied) from a new CMS read (CMS read cache emptied too)
    expect(cmsCalls('/api/member-agencies')).toHaveLength(1)
  })

  it('never caches a member\'s reads: each Private Area page asks the CMS with the member\'s token', async () => {
    const email = 'cache.check@esa.example'
    const password = 'Lunar-gateway-2026'
    await createMember(cms.strapi, { email, password, fullName: 'Cache Check' })
    const visitor = createVisitor(site.url)
    await visitor.get('/private-area/sign-in')
    expect((await visitor.post('/api/private-area/sign-in', { email, password })).status).toBe(303)

    for (let visit = 1; visit <= 2; visit++) {
      proxy.reset()
      const page = await visitor.get('/private-area')
      expect(page.status).toBe(200)
      expect(cmsCalls('/api/news-articles'), `visit ${visit}`).toHaveLength(1)
      expect(cmsCalls('/api/member-documents'), `visit ${visit}`).not.toEqual([])
    }
  })
})
