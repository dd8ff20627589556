import type { CmsInstance } from '../../../cms/tests/harness'
import type { CmsProxy } from '../support/cms-proxy'
import type { SiteInstance } from '../support/site'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCms } from '../../../cms/tests/harness'
import { startCmsProxy } from '../support/cms-proxy'
import { startSite } from '../support/site'
import { createXssArticle } from '../support/xss'

let cms: CmsInstance
let proxy: CmsProxy
let site: SiteInstance

beforeAll(async () => {
  cms = await startCms()
  proxy = await startCmsProxy(cms.url)
  site = await startSite({ cmsUrl: proxy.url, siteUrl: 'https://www.isecg.example' })
})

afterAll(async () => {
  await site?.stop()
  await proxy?.stop()
  await cms?.stop()
})

async function get(path: string) {
  // Sent like a browser: Nitro answers errors to non-HTML clients with JSON.
  const response = await fetch(`${site.url}${path}`, {
    redirect: 'manual',
    headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
  })
  return { status: response.status, headers: response.headers, text: await response.text() }
}

const title = (html: string) => html.match(/<title>([^<]*)<\/title>/)?.[1]
const h1 = (html: string) => html.match(/<h1[^>]*>([\s\S]*?)<\/h1>/)?.[1]?.replace(/<[^>]+>/g, '').trim()
function meta(html: string, key: string) {
  return html.match(new RegExp(`<meta[^>]+(?:name|property)="${key}"[^>]+content="([^"]*)"`))?.[1]
}
const canonical = (html: string) => html.match(/<link[^>]+rel="canonical"[^>]+href="([^"]*)"/)?.[1]

describe('pages', () => {
  it.each([
    ['/', 'Coordinating'],
    ['/about', 'About'],
    ['/news', 'News'],
    ['/publications', 'Publications'],
    ['/members', 'Member agencies'],
    ['/faq', 'Frequently asked questions'],
    ['/advanced-technology', 'Advanced Technology'],
    ['/science-perspectives', 'Science Perspectives'],
    ['/lunar-volatiles', 'Lunar Volatiles'],
    ['/legal', 'Legal notice'],
    ['/privacy', 'Privacy'],
    ['/accessibility', 'Accessibility'],
  ])('renders %s on the server with its heading', async (path, heading) => {
    const page = await get(path)
    expect(page.status).toBe(200)
    expect(h1(page.text)).toContain(heading)
    expect(page.text).toContain('href="#main"')
    expect(page.text).toMatch(/<main id="main"/)
  })

  it('marks the document for scripts only on pages that ship client scripts (route rule noScripts)', async () => {
    const marker = 'document.documentElement.classList.add("js")'
    expect((await get('/about')).text).toContain(marker)
    expect((await get('/members')).text).toContain(marker)
    for (const path of ['/', '/news', '/publications']) {
      const page = await get(path)
      expect(page.text).not.toContain(marker)
      expect(page.text).not.toMatch(/<script[^>]+src=/)
    }
  })

  it('renders a news article and a publication found by slug', async () => {
    const list = await (await fetch(`${site.url}/api/news`)).json() as { items: { slug: string, title: string }[] }
    const article = await get(`/news/${list.items[0]!.slug}`)
    expect(article.status).toBe(200)
    expect(article.text).toContain(list.items[0]!.title.replace(/'/g, '&#39;'))

    const publication = await get('/publications/global-exploration-roadmap-2018')
    expect(publication.status).toBe(200)
    expect(publication.text).toContain('A newer edition is available')
    expect(publication.text).toContain('/publications/global-exploration-roadmap-2013')
  })

  it('gives titles, descriptions, Open Graph tags and canonical URLs on the public origin', async () => {
    const page = await get('/members')
    expect(title(page.text)).toBe('Member agencies · ISECG')
    expect(meta(page.text, 'description')).toBeTruthy()
    expect(meta(page.text, 'og:title')).toBe('Member agencies')
    expect(meta(page.text, 'og:url')).toBe('https://www.isecg.example/members')
    expect(meta(page.text, 'og:image')).toMatch(/^https:\/\/www\.isecg\.example\//)
    expect(canonical(page.text)).toBe('https://www.isecg.example/members')

    const second = await get('/news?page=2')
    expect(canonical(second.text)).toBe('https://www.isecg.example/news?page=2')
  })

  it('paginates news with ?page=N', async () => {
    const first = await get('/news')
    const second = await get('/news?page=2')
    expect(second.status).toBe(200)
    const slugs = (html: string) => [
      ...html.matchAll(/href="\/news\/([^"?#]+)"/g),
    ].map(m => m[1])
    expect(slugs(second.text).length).toBeGreaterThan(0)
    expect(slugs(second.text).filter(s => slugs(first.text).includes(s))).toEqual([])
    expect(first.text).toContain('href="/news?page=2"')
  })
})

describe('errors', () => {
  it.each([
    '/no-such-page',
    '/news/no-such-article',
    '/publications/no-such-publication',
    '/news?page=999',
    '/news?page=x',
    '/topics/lunar-volatiles',
  ])(
    'answers 404 with the branded page for %s',
    async (path) => {
      const page = await get(path)
      expect(page.status).toBe(404)
      expect(page.text).toContain('Page not found')
      expect(page.text).toContain('ISECG')
      expect(page.text).not.toMatch(/at \S+ \(|node_modules|H3Error/)
    },
  )
})

describe('publications library', () => {
  it('filters by kind, year, topic and text', async () => {
    interface Library { items: { kind: string, date: string, title: string, topics: { slug: string }[] }[], total: number }
    const api = async (query: string) => await (await fetch(`${site.url}/api/publications?${query}`)).json() as Library

    const all = await api('')
    const roadmaps = await api('kind=roadmap')
    expect(roadmaps.items.length).toBeGreaterThan(1)
    expect(roadmaps.items.length).toBeLessThan(all.items.length)
    expect(roadmaps.items.every(p => p.kind === 'roadmap')).toBe(true)

    const in2018 = await api('year=2018')
    expect(in2018.items.length).toBeGreaterThan(0)
    expect(in2018.items.every(p => p.date.startsWith('2018'))).toBe(true)

    const lunar = await api('topic=lunar-volatiles')
    expect(lunar.items.length).toBeGreaterThan(0)
    expect(lunar.items.every(p => p.topics.some(t => t.slug === 'lunar-volatiles'))).toBe(true)

    const search = await api('q=roadmap')
    expect(search.items.length).toBeGreaterThan(0)
    expect(search.items.length).toBeLessThan(all.items.length)

    const page = await get('/publications?kind=roadmap')
    expect(page.status).toBe(200)
    expect(page.text).toContain(`${roadmaps.total} publications match your filters`)
  })
})

describe('rich text', () => {
  it('never sends script, event handlers or javascript: links from CMS content', async () => {
    const slug = await createXssArticle(cms)
    const page = await get(`/news/${slug}`)
    expect(page.status).toBe(200)
    expect(page.text).toContain('Routine meeting report.')
    // Payload text may remain as inert, escaped text; no executable script may carry it.
    // (Attribute values are dropped first: text inside them, e.g. a meta description, is inert.)
    const markup = page.text.replace(/\s[\w:-]+="[^"]*"/g, attribute => attribute.includes('application/json')
      ? attribute
      : '')
    const scripts = [
      ...markup.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g),
    ]
      .filter(([, attributes]) => !attributes!.includes('application/json'))
    expect(scripts.length).toBeGreaterThan(0)
    expect(scripts.filter(([, , code]) => code!.includes('__xss'))).toEqual([])
    expect(markup).not.toMatch(/<script>window\.__xss/)
    expect(page.text).not.toMatch(/<(iframe|svg)[^>]*(onload|javascript)/i)
    expect(page.text).not.toMatch(/\son(error|load|mouseover)=/i)
    expect(page.text).not.toMatch(/href="javascript:/i)
  })
})

describe('members-only content', () => {
  it('never shows members-only news on the site, in the feed or in the sitemap, whatever was cached before', async () => {
    const run = Date.now().toString(36)
    const secret = { slug: `members-only-plenary-minutes-${run}`, title: `Members-only plenary minutes ${run}` }
    const control = { slug: `public-plenary-summary-${run}`, title: `Public plenary summary ${run}` }
    const news = cms.strapi.documents('api::news-article.news-article')
    // published together and newest, so that both belong on the first page of every list
    const created = [
      await news.create({
        data: {
          title: secret.title,
          slug: secret.slug,
          date: '2099-01-02',
          summary: 'Confidential.',
          body: 'Confidential minutes.',
          visibility: 'members',
        },
        status: 'published',
      } as never),
      await news.create({
        data: {
          title: control.title,
          slug: control.slug,
          date: '2099-01-01',
          summary: 'Public.',
          body: 'Public summary.',
          visibility: 'public',
        },
        status: 'published',
      } as never),
    ]
    try {
      // stored and published, so only the visibility rule keeps it out
      expect(await cms.strapi.db.query('api::news-article.news-article').count({
        where: {
          slug: secret.slug,
          publishedAt: { $notNull: true },
        },
      })).toBe(1)
      expect((await get(`/news/${secret.slug}`)).status).toBe(404)
      expect((await get(`/news/${control.slug}`)).status).toBe(200)
      // Each list is asked for under a URL no one asked for before (the query string is part of the
      // page cache key) after the site's caches are emptied (content changed: the CMS's webhook
      // does the same; the CMS read cache would otherwise answer for a list read moments ago), so
      // it is built now, from the CMS, after both entries exist: the CMS call and the public
      // control entry prove it.
      for (const path of [
        '/news',
        '/feed.xml',
        '/sitemap.xml',
        '/api/news',
      ]) {
        const url = `${path}?page=1&members-check=${run}`
        await site.purgeCaches()
        proxy.reset()
        const page = await get(url)
        expect(page.status, url).toBe(200)
        expect(proxy.requests.filter(request => request.startsWith('/api/news-articles')), `${url} is built from the CMS`).not.toEqual([])
        expect(page.text, url).toContain(control.slug)
        expect(page.text, url).not.toContain(secret.slug)
        expect(page.text, url).not.toContain(secret.title)
      }
    }
    finally {
      for (const entry of created) await news.delete({ documentId: entry.documentId })
    }
  })
})

describe('feeds', () => {
  it('publishes an RSS 2.0 feed of the news', async () => {
    const feed = await get('/feed.xml')
    expect(feed.status).toBe(200)
    expect(feed.headers.get('content-type')).toContain('application/rss+xml')
    expect(feed.text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<rss version="2.0"/)
    expect(feed.text).toContain('<link>https://www.isecg.example/news/')
    expect((feed.text.match(/<item>/g) ?? []).length).toBeGreaterThan(3)
  })

  it('lists every public page in sitemap.xml', async () => {
    const sitemap = await get('/sitemap.xml')
    expect(sitemap.status).toBe(200)
    for (const path of [
      '/',
      '/news',
      '/publications',
      '/faq',
      '/lunar-volatiles',
      '/legal',
      '/publications/global-exploration-roadmap-2024',
    ]) {
      expect(sitemap.text).toContain(`<loc>https://www.isecg.example${path === '/'
        ? '/'
        : path}</loc>`)
    }
  })
})

describe('compression', () => {
  it('sends pages brotli- or gzip-compressed to clients that accept it, and plain to others', async () => {
    const { request } = await import('node:http')
    const { brotliDecompressSync, gunzipSync } = await import('node:zlib')
    const raw = (path: string, encoding?: string) => new Promise<{ status: number, headers: Record<string, unknown>, body: Buffer }>((resolve, reject) => {
      const req = request(`${site.url}${path}`, {
        headers: {
          accept: 'text/html',
          ...(encoding
            ? { 'accept-encoding': encoding }
            : {}),
        },
      }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', chunk => chunks.push(chunk))
        res.on('end', () => resolve({
          status: res.statusCode!,
          headers: res.headers,
          body: Buffer.concat(chunks),
        }))
      })
      req.on('error', reject)
      req.end()
    })
    await get('/about')
    const plain = await raw('/about')
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(plain.body.toString()).toContain('Terms of Reference')
    const br = await raw('/about', 'gzip, deflate, br')
    expect(br.headers['content-encoding']).toBe('br')
    expect(br.headers.vary).toMatch(/accept-encoding/i)
    expect(brotliDecompressSync(br.body).toString()).toBe(plain.body.toString())
    expect(br.body.length).toBeLessThan(plain.body.length / 2)
    const gzip = await raw('/about', 'gzip')
    expect(gunzipSync(gzip.body).toString()).toBe(plain.body.toString())
    // error pages are rendered through an internal request and must not be double-encoded
    const missing = await raw('/no-such-page', 'br')
    expect(missing.status).toBe(404)
    const text = missing.headers['content-encoding'] === 'br'
      ? brotliDecompressSync(missing.body).toString()
      : missing.body.toString()
    expect(text).toContain('Page not found')
  })
})

describe('media proxy boundaries', () => {
  it('refuses paths that would leave the uploads folder, raw or percent-encoded, without calling the CMS', async () => {
    const { request } = await import('node:http')
    // sent as written (fetch would normalise the dots away before sending)
    const rawGet = (path: string) => new Promise<{ status: number, body: string }>((resolve, reject) => {
      const req = request({
        host: '127.0.0.1',
        port: site.port,
        path,
        headers: { accept: 'application/json' },
      }, (res) => {
        let body = ''
        res.on('data', (chunk) => {
          body += chunk
        })
        res.on('end', () => resolve({ status: res.statusCode!, body }))
      })
      req.on('error', reject)
      req.end()
    })
    proxy.reset()
    for (const path of [
      '/uploads/%2e%2e/api/member-agencies',
      '/uploads/%2E%2E/%2e%2e/api/faqs',
      '/uploads/..%2fapi%2ffaqs',
      '/uploads/.%2e/api/topics',
    ]) {
      const response = await rawGet(path)
      expect(response.status, path).toBe(404)
      expect(response.body, path).not.toContain('documentId')
    }
    expect(proxy.requests).toEqual([])
  })
})

describe('media', () => {
  it('serves CMS uploads through the /uploads proxy', async () => {
    const settings = await (await fetch(`${site.url}/api/site`)).json() as { brochure: { url: string } | null }
    expect(settings.brochure?.url).toMatch(/^\/uploads\//)
    const file = await fetch(`${site.url}${settings.brochure!.url}`)
    expect(file.status).toBe(200)
    expect((await file.arrayBuffer()).byteLength).toBeGreaterThan(0)
  })
})

describe('caching and CMS outages', () => {
  it('answers a cached page without calling the CMS, and keeps answering it when the CMS is down', async () => {
    expect((await get('/members')).status).toBe(200)
    proxy.reset()
    const again = await get('/members')
    expect(again.status).toBe(200)
    expect(proxy.requests).toEqual([])

    proxy.available = false
    try {
      const cached = await get('/members')
      expect(cached.status).toBe(200)
      expect(cached.text).toContain('Member agencies')
    }
    finally {
      proxy.available = true
    }
  })

  it('answers an uncached page with the branded 503 page, never a stack trace, when the CMS is down', async () => {
    proxy.available = false
    try {
      const page = await get('/publications?q=never-requested-before')
      expect(page.status).toBe(503)
      expect(page.headers.get('content-type')).toContain('text/html')
      expect(page.text).toContain('Service temporarily unavailable')
      expect(page.text).toContain('ISECG')
      expect(page.text).not.toMatch(/at \S+ \(|node_modules|StrapiError|fetch failed|ECONNRE/)

      // (a list page the CMS read cache has never held: one it holds would be served stale)
      const api = await fetch(`${site.url}/api/news?page=97`)
      expect(api.status).toBe(503)
    }
    finally {
      proxy.available = true
    }
    // and the site recovers as soon as the CMS is back
    expect((await get('/publications?q=never-requested-before')).status).toBe(200)
  })
})
