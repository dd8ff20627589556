import type { CmsInstance } from '../../../cms/tests/harness'
import type { CmsProxy } from '../support/cms-proxy'
import type { SiteInstance } from '../support/site'
/**
 * Content changes reach visitors at once, and the page cache cannot be flooded:
 *  - the CMS's signed content webhook (cms/src/site-webhook) makes the site drop every cached page
 *    and CMS read, so a publish shows on the article, the news list, Home, the topic page and the
 *    feed on the next request (without it: after the CMS read cache's TTL and the page cache's swr);
 *  - an unsigned, wrongly signed or stale webhook request answers 401 and purges nothing;
 *  - a cached page is keyed by the query parameters its page reads only: junk parameters share the
 *    page's entry, and searches are kept apart from plain pages.
 * The real CMS (temporary SQLite) behind a counting proxy, and the real built site.
 */
import { randomBytes } from 'node:crypto'
import { Webhook } from 'standardwebhooks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCms } from '../../../cms/tests/harness'
import { startCmsProxy } from '../support/cms-proxy'
import { freePort, startSite } from '../support/site'

const NEWS = 'api::news-article.news-article'
const SECRET = `whsec_${randomBytes(32).toString('base64')}`
const MAX_VARIANTS = 20

let cms: CmsInstance
let proxy: CmsProxy
let site: SiteInstance

beforeAll(async () => {
  const port = await freePort()
  cms = await startCms({
    env: {
      SITE_WEBHOOK_URLS: `http://127.0.0.1:${port}/api/cache/webhook`,
      SITE_WEBHOOK_SECRET: SECRET,
    },
  })
  proxy = await startCmsProxy(cms.url)
  site = await startSite({
    cmsUrl: proxy.url,
    port,
    siteKey: cms.siteKey,
    env: {
      NUXT_CONTENT_WEBHOOK_SECRET: SECRET,
      NUXT_PAGE_CACHE_MAX_VARIANTS: String(MAX_VARIANTS),
    },
  })
})

afterAll(async () => {
  await site?.stop()
  await proxy?.stop()
  await cms?.stop()
})

async function get(path: string) {
  const response = await fetch(`${site.url}${path}`, {
    headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
  })
  return { status: response.status, text: await response.text() }
}

interface Stats { pages: { pages: number, variants: number }, cmsReads: number }
async function stats(): Promise<Stats> {
  const response = await fetch(`${site.url}/api/cache/stats`, {
    headers: { 'x-site-key': cms.siteKey },
  })
  expect(response.status).toBe(200)
  return await response.json() as Stats
}

/** Polls until every path shows `text`; returns how long that took (ms), or fails after `limitMs`. */
async function untilShown(paths: string[], text: string, limitMs: number): Promise<number> {
  const started = Date.now()
  const missing = new Set(paths)
  while (missing.size > 0) {
    for (const path of [...missing]) {
      if ((await get(path)).text.includes(text))
        missing.delete(path)
    }
    if (missing.size > 0) {
      if (Date.now() - started > limitMs)
        throw new Error(`still without "${text}" after ${limitMs} ms: ${[...missing].join(', ')}`)
      await new Promise(resolve => setTimeout(resolve, 100))
    }
  }
  return Date.now() - started
}

describe('the content webhook', () => {
  it('shows a published change on every page that shows the entry, on the next requests', async () => {
    const article = await cms.strapi.documents(NEWS).findFirst({
      status: 'published',
      sort: [
        'date:desc',
        'id:desc',
      ],
      filters: { visibility: 'public' },
      populate: {
        topics: {
          fields: ['slug'],
        },
      },
    }) as unknown as { documentId: string, title: string, slug: string, topics: Array<{ slug: string }> }
    const pages = [
      `/news/${article.slug}`,
      '/news',
      '/',
      '/feed.xml',
      ...article.topics.map(topic => `/${topic.slug}`),
    ]
    for (const path of pages) {
      const page = await get(path)
      expect(page.status, path).toBe(200)
    }

    const title = `Webhook check ${randomBytes(4).toString('hex')}`
    // a saved draft changes nothing the public sees: no notification, the pages stay cached
    await cms.strapi.documents(NEWS).update({
      documentId: article.documentId,
      data: { title } as never,
    })
    await new Promise(resolve => setTimeout(resolve, 500))
    expect((await get(`/news/${article.slug}`)).text).not.toContain(title)

    await cms.strapi.documents(NEWS).publish({ documentId: article.documentId })
    // the CMS read cache alone would keep the old title for 15 s, the page cache for 60 s more
    const took = await untilShown(pages, title, 5000)
    expect(took).toBeLessThan(5000)
  })

  it('refuses an unsigned, wrongly signed or stale request with 401 and purges nothing', async () => {
    await get('/members')
    const before = await stats()
    expect(before.pages.pages).toBeGreaterThan(0)
    const body = JSON.stringify({
      type: 'content.published',
      timestamp: new Date().toISOString(),
      data: { model: NEWS },
    })
    const post = (headers: Record<string, string>) => fetch(`${site.url}/api/cache/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    })
    const id = `msg_${randomBytes(8).toString('hex')}`
    const signer = new Webhook(SECRET)
    const now = new Date()
    const stale = new Date(now.getTime() - 6 * 60_000)
    const other = new Webhook(`whsec_${randomBytes(32).toString('base64')}`)

    expect((await post({})).status).toBe(401)
    expect((await post({
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': other.sign(id, now, body),
    })).status).toBe(401)
    expect((await post({
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(stale.getTime() / 1000)),
      'webhook-signature': signer.sign(id, stale, body),
    })).status).toBe(401)
    // a valid signature of another body
    expect((await post({
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': signer.sign(id, now, `${body} `),
    })).status).toBe(401)
    expect(await stats()).toEqual(before)

    proxy.reset()
    expect((await get('/members')).status).toBe(200)
    expect(proxy.requests).toEqual([])

    const signed = await post({
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': signer.sign(id, now, body),
    })
    expect(signed.status).toBe(204)
    const after = await stats()
    expect(after.pages).toMatchObject({ pages: 0, variants: 0 })
    expect(after.cmsReads).toBe(0)
  })
})

describe('page cache keys', () => {
  const REAL = [
    '/',
    '/news',
    '/news?page=2',
    '/publications',
    '/publications?kind=roadmap',
    '/members',
    '/faq',
  ]
  const junk = () => randomBytes(1 + Math.floor(Math.random() * 6)).toString('hex')
  // junk names and values, and values the pages ignore (an unknown kind, a year that is no year)
  function junkQuery(): string {
    const params = new URLSearchParams()
    for (let i = 0; i < 1 + Math.floor(Math.random() * 3); i++)
      params.append(junk(), junk())
    const pick = Math.random()
    if (pick < 0.2)
      params.append('kind', junk())
    else if (pick < 0.4)
      params.append('year', `${junk()}x`)
    return params.toString()
  }

  it('renders a page with junk parameters as the page without them, from the same entry', async () => {
    const plain = await get('/publications?kind=roadmap')
    const noisy = await get('/publications?utm_source=mail&kind=roadmap&kind=report&fbclid=abc')
    expect(noisy.status).toBe(200)
    expect(noisy.text).toBe(plain.text)
    expect((await get('/news?utm_source=x&page=2')).text).toBe((await get('/news?page=2')).text)
  })

  it('keeps its size and its real pages through 5,000 requests with random junk parameters', async () => {
    for (const path of REAL) expect((await get(path)).status, path).toBe(200)
    const before = await stats()
    proxy.reset()
    let next = 0
    const statuses = new Map<number, number>()
    await Promise.all(Array.from({ length: 20 }, async () => {
      while (next < 5000) {
        const path = REAL[next++ % REAL.length]!
        const url = `${path}${path.includes('?')
          ? '&'
          : '?'}${junkQuery()}`
        const response = await fetch(`${site.url}${url}`, {
          headers: { accept: 'text/html' },
        })
        await response.arrayBuffer()
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1)
      }
    }))
    expect(Object.fromEntries(statuses)).toEqual({ 200: 5000 })
    expect(await stats()).toEqual(before)
    // every one of them was a cache hit: the CMS was not called
    expect(proxy.requests).toEqual([])
    for (const path of REAL) expect((await get(path)).status).toBe(200)
    expect(proxy.requests).toEqual([])
  }, 120_000)

  it('keeps searches apart: many distinct searches never evict a plain page', async () => {
    for (const path of REAL) await get(path)
    const before = await stats()
    for (let i = 0; i < MAX_VARIANTS * 3; i++)
      expect((await get(`/publications?q=${junk()}`)).status).toBe(200)
    const after = await stats()
    expect(after.pages.pages).toBe(before.pages.pages)
    expect(after.pages.variants).toBeLessThanOrEqual(MAX_VARIANTS)
    proxy.reset()
    for (const path of REAL.filter(path => !path.includes('?'))) await get(path)
    expect(proxy.requests).toEqual([])
  }, 60_000)
})

describe('the page cache fast path', () => {
  it('answers a cached page with exactly the bytes and headers of the full path, for each coding', async () => {
    await site.purgeCaches()
    for (const coding of ['', 'gzip', 'br']) {
      const answers = []
      for (let i = 0; i < 3; i++) {
        const response = await fetch(`${site.url}/faq?utm_source=x`, {
          headers: { 'accept-encoding': coding, 'accept': 'text/html' },
        })
        const headers = Object.fromEntries([...response.headers].filter(([name]) => name !== 'date'))
        answers.push({
          status: response.status,
          headers,
          body: Buffer.from(await response.arrayBuffer()).toString('base64'),
        })
      }
      // the first is rendered (or read from the page cache), the others are replayed
      expect(answers[1], coding).toEqual(answers[0])
      expect(answers[2], coding).toEqual(answers[0])
      expect(answers[0]!.headers['content-encoding']).toBe(coding || undefined)
    }
    const head = await fetch(`${site.url}/faq`, { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
  })
})

describe('conditional requests for feeds', () => {
  it('answers 304 to a repeated conditional request for a feed, and 200 with the feed otherwise', async () => {
    for (const path of [
      '/feed.xml',
      '/feed.atom',
      '/feed.json',
      '/publications/feed.atom',
    ]) {
      const first = await fetch(`${site.url}${path}`)
      expect(first.status, path).toBe(200)
      const tag = first.headers.get('etag')
      expect(tag, path).toBeTruthy()
      expect(first.headers.get('last-modified'), path).toBeTruthy()
      const again = await fetch(`${site.url}${path}`, {
        headers: { 'if-none-match': tag! },
      })
      expect(again.status, path).toBe(304)
      expect(await again.text()).toBe('')
      const other = await fetch(`${site.url}${path}`, {
        headers: { 'if-none-match': 'W/"something-else"' },
      })
      expect(other.status, path).toBe(200)
    }
  })
})
