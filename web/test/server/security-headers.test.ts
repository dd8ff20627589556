import type { CmsInstance } from '../../../cms/tests/harness'
import type { CmsProxy } from '../support/cms-proxy'
import type { SiteInstance } from '../support/site'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCms } from '../../../cms/tests/harness'
import { startCmsProxy } from '../support/cms-proxy'
import { parseCsp, servedScripts, sha256Source } from '../support/csp'
import { startSite } from '../support/site'
import { createXssArticle } from '../support/xss'

let cms: CmsInstance
let proxy: CmsProxy
let site: SiteInstance
let xssSlug: string

beforeAll(async () => {
  cms = await startCms()
  proxy = await startCmsProxy(cms.url)
  site = await startSite({ cmsUrl: proxy.url, siteUrl: 'https://www.isecg.example' })
  xssSlug = await createXssArticle(cms)
})

afterAll(async () => {
  await site?.stop()
  await proxy?.stop()
  await cms?.stop()
})

const HTML = 'text/html,application/xhtml+xml,*/*;q=0.8'

async function get(path: string, accept = HTML, base = site) {
  const response = await fetch(`${base.url}${path}`, {
    redirect: 'manual',
    headers: { accept },
  })
  return { status: response.status, headers: response.headers, text: await response.text() }
}

type Kind = 'page' | 'resource'

/** The headers every response carries, and the CSP its kind calls for. */
function expectSecurityHeaders(headers: Headers, kind: Kind, { https = true, label = '' } = {}) {
  expect(headers.get('x-content-type-options'), label).toBe('nosniff')
  expect(headers.get('referrer-policy'), label).toBe('strict-origin-when-cross-origin')
  expect(headers.get('x-frame-options'), label).toBe('DENY')
  const permissions = headers.get('permissions-policy') ?? ''
  for (const feature of [
    'camera',
    'microphone',
    'geolocation',
    'payment',
    'usb',
  ]) expect(permissions, label).toContain(`${feature}=()`)
  if (https)
    expect(headers.get('strict-transport-security'), label).toMatch(/^max-age=\d{7,}/)
  else expect(headers.get('strict-transport-security'), label).toBeNull()

  const csp = parseCsp(headers.get('content-security-policy'))
  expect(csp.get('frame-ancestors'), label).toEqual(['\'none\''])
  expect(csp.get('base-uri'), label).toEqual(['\'none\''])
  const scriptSrc = csp.get('script-src') ?? csp.get('default-src')
  expect(scriptSrc, label).toBeDefined()
  expect(scriptSrc, label).not.toContain('\'unsafe-inline\'')
  expect(scriptSrc, label).not.toContain('\'unsafe-eval\'')
  expect(scriptSrc!.every(source => /^'(?:self|none|wasm-unsafe-eval|sha256-[\w+/]+=*)'$/.test(source)), `${label}: ${scriptSrc}`).toBe(true)
  if (kind === 'resource') {
    expect(csp.get('default-src'), label).toEqual(['\'none\''])
  }
  else {
    expect(csp.get('default-src'), label).toEqual(['\'self\''])
    expect(csp.get('object-src'), label).toEqual(['\'none\''])
    expect(csp.get('script-src-attr'), label).toEqual(['\'none\''])
    expect(csp.has('upgrade-insecure-requests'), label).toBe(https)
  }
  return csp
}

/**
 * Every script a browser would run in this HTML is allowed by its CSP: inline ones by their hash,
 * files by being the site's own build assets. Returns how many inline scripts were checked.
 */
function expectScriptsAllowed(html: string, cspHeader: string | null, label: string) {
  const scriptSrc = parseCsp(cspHeader).get('script-src') ?? []
  const scripts = servedScripts(html).filter(script => script.executable)
  if (scripts.length === 0)
    return 0
  expect(scriptSrc, label).toContain('\'self\'')
  for (const script of scripts) {
    if (script.src)
      expect(script.src, label).toMatch(/^\/_nuxt\/[\w.-]+\.js$/)
    else expect(scriptSrc, `${label}: inline script ${script.text.slice(0, 60)}`).toContain(sha256Source(script.text))
  }
  // and nothing else: no hash in the header that the page does not need
  const needed = new Set(scripts.filter(script => !script.src).map(script => sha256Source(script.text)))
  expect(scriptSrc.filter(source => source.startsWith('\'sha256-')).every(source => needed.has(source)), label).toBe(true)
  return needed.size
}

const STACK_TRACE = /at \S+ \(|\.m?js:\d+:\d+|node_modules|TypeError|H3Error|StrapiError/

describe('pages', () => {
  it.each([
    '/about',
    '/members',
    '/faq',
    '/advanced-technology',
    '/legal',
    '/publications/global-exploration-roadmap-2018',
  ])('sends %s with the security headers, on its first render and from the cache, with a CSP that allows exactly its inline scripts', async (path) => {
    // A query string of its own gives a cache key no other test has rendered.
    const url = `${path}?headers-check=${encodeURIComponent(path)}`
    const first = await get(url)
    expect(first.status).toBe(200)
    expectSecurityHeaders(first.headers, 'page', { label: url })
    expect(expectScriptsAllowed(first.text, first.headers.get('content-security-policy'), url)).toBeGreaterThanOrEqual(2)

    const cached = await get(url)
    expect(cached.text).toBe(first.text)
    expectSecurityHeaders(cached.headers, 'page', { label: `${url} (cached)` })
    expect(cached.headers.get('content-security-policy')).toBe(first.headers.get('content-security-policy'))
    expectScriptsAllowed(cached.text, cached.headers.get('content-security-policy'), `${url} (cached)`)
  })

  it('serves a cached page with the CSP it was rendered with, without calling the CMS', async () => {
    const first = await get('/members?cache-hit=1')
    proxy.reset()
    const hit = await get('/members?cache-hit=1')
    expect(proxy.requests).toEqual([])
    expect(hit.headers.get('content-security-policy')).toBe(first.headers.get('content-security-policy'))
    expectScriptsAllowed(hit.text, hit.headers.get('content-security-policy'), 'cached /members')
  })

  it('answers a revalidation of a cached page with a 304 that leaves its CSP in place', async () => {
    // Browsers update a stored page's headers with those of the 304: a 304 carrying another CSP
    // (the one of non-page responses, say) would block the page's own scripts on its next use.
    const page = await get('/faq?revalidate=1')
    const etag = page.headers.get('etag')!
    expect(etag).toBeTruthy()
    const response = await fetch(`${site.url}/faq?revalidate=1`, {
      headers: { 'accept': HTML, 'if-none-match': etag },
    })
    expect(response.status).toBe(304)
    expect([
      null,
      page.headers.get('content-security-policy'),
    ]).toContain(response.headers.get('content-security-policy'))
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
  })

  it('gives the pages served without client scripts script-src \'none\'', async () => {
    for (const path of [
      '/',
      '/news',
      '/publications',
      '/publications?kind=roadmap',
    ]) {
      const page = await get(path)
      expect(page.status, path).toBe(200)
      const csp = expectSecurityHeaders(page.headers, 'page', { label: path })
      expect(csp.get('script-src'), path).toEqual(['\'none\''])
      expect(servedScripts(page.text).filter(script => script.executable), path).toEqual([])
    }
  })

  it('does not hash a script that CMS content would bring into the page body', async () => {
    const page = await get(`/news/${xssSlug}`)
    expect(page.status).toBe(200)
    expectSecurityHeaders(page.headers, 'page')
    expectScriptsAllowed(page.text, page.headers.get('content-security-policy'), 'XSS article')
    const scriptSrc = parseCsp(page.headers.get('content-security-policy')).get('script-src')!
    expect(scriptSrc).not.toContain(sha256Source('window.__xss = "script"'))
    expect(scriptSrc).not.toContain(sha256Source('window.__xss="summary"'))
  })
})

describe('other responses', () => {
  it('sends the headers and a CSP that lets nothing run with the feed, sitemap, robots.txt and API routes', async () => {
    for (const path of [
      '/feed.xml',
      '/sitemap.xml',
      '/robots.txt',
      '/api/news',
      '/api/site',
      '/api/publications?kind=roadmap',
      '/favicon.svg',
    ]) {
      const response = await get(path, '*/*')
      expect(response.status, path).toBe(200)
      expectSecurityHeaders(response.headers, 'resource', { label: path })
    }
  })

  it('sends them with the site\'s script and style assets', async () => {
    const page = await get('/about')
    const src = servedScripts(page.text).find(script => script.src)!.src!
    const asset = await get(src, '*/*')
    expect(asset.status).toBe(200)
    expect(asset.headers.get('content-type')).toMatch(/javascript/)
    expectSecurityHeaders(asset.headers, 'resource', { label: src })
  })

  it('replaces the CMS\'s headers with the site\'s on /uploads, and serves uploaded scripts as bytes', async () => {
    const settings = await (await fetch(`${site.url}/api/site`)).json() as { brochure: { url: string } }
    const file = await get(settings.brochure.url, '*/*')
    expect(file.status).toBe(200)
    expectSecurityHeaders(file.headers, 'resource', { label: settings.brochure.url })
    expect(file.headers.get('x-powered-by')).toBeNull()
    expect(file.headers.get('access-control-allow-credentials')).toBeNull()
    expect(file.headers.get('cache-control')).toBe('public, max-age=3600')

    proxy.respond = url => url.startsWith('/uploads/agenda')
      ? {
          status: 200,
          headers: { 'content-type': 'application/javascript' },
          body: 'window.__xss = "upload"',
        }
      : undefined
    try {
      const script = await get('/uploads/agenda.js', '*/*')
      expect(script.status).toBe(200)
      expect(script.headers.get('content-type')).toBe('application/octet-stream')
      expectSecurityHeaders(script.headers, 'resource', { label: 'uploaded script' })
    }
    finally {
      proxy.respond = null
    }
  })
})

describe('error responses', () => {
  it('sends the headers with 404 pages and 404 JSON, without a stack trace', async () => {
    for (const path of [
      '/no-such-page',
      '/news/no-such-article',
      '/news?page=999',
      '/uploads/no-such-file.pdf',
      '/_nuxt/no-such-chunk.js',
    ]) {
      const page = await get(path)
      expect(page.status, path).toBe(404)
      expect(page.text, path).toContain('Page not found')
      expectSecurityHeaders(page.headers, 'page', { label: path })
      expectScriptsAllowed(page.text, page.headers.get('content-security-policy'), path)
      expect(page.text, path).not.toMatch(STACK_TRACE)
    }
    for (const path of ['/api/news/no-such-article', '/api/no-such-route', '/uploads/no-such-file.pdf']) {
      const json = await get(path, 'application/json')
      expect(json.status, path).toBe(404)
      expect(json.headers.get('content-type'), path).toContain('application/json')
      expectSecurityHeaders(json.headers, 'resource', { label: path })
      expect(json.text, path).not.toMatch(STACK_TRACE)
      expect(json.text, path).not.toContain('NotFoundError') // the CMS's own error body
    }
  })

  it('answers an unexpected failure with a 500 that carries the headers and no stack trace', async () => {
    // A CMS answer the site does not expect: reading it throws a TypeError in the API route.
    // (The caches are emptied before, so that the CMS is asked, and after, so that the odd answer
    // does not stay in the CMS read cache.)
    await site.purgeCaches()
    proxy.respond = url => url.startsWith('/api/news-articles')
      ? { status: 200, body: '{"data":[],"meta":null}' }
      : undefined
    try {
      const json = await get('/api/news?page=1', 'application/json')
      expect(json.status).toBe(500)
      expectSecurityHeaders(json.headers, 'resource', { label: 'JSON 500' })
      expect(JSON.parse(json.text)).toMatchObject({ statusCode: 500, message: 'Server Error' })
      expect(json.text).not.toMatch(STACK_TRACE)

      const page = await get('/news?unexpected=1')
      expect(page.status).toBe(500)
      expect(page.text).toContain('Something went wrong')
      expectSecurityHeaders(page.headers, 'page', { label: 'HTML 500' })
      expectScriptsAllowed(page.text, page.headers.get('content-security-policy'), 'HTML 500')
      expect(page.text).not.toMatch(STACK_TRACE)
    }
    finally {
      proxy.respond = null
      await site.purgeCaches()
    }
  })

  it('sends the headers with the 503 answers while the CMS is down', async () => {
    // nothing cached: the CMS read cache would otherwise answer (stale) for data read before
    await site.purgeCaches()
    proxy.available = false
    try {
      const page = await get('/faq?cms-down=1')
      expect(page.status).toBe(503)
      expectSecurityHeaders(page.headers, 'page', { label: 'HTML 503' })
      expectScriptsAllowed(page.text, page.headers.get('content-security-policy'), 'HTML 503')
      const json = await get('/api/news?page=2', 'application/json')
      expect(json.status).toBe(503)
      expectSecurityHeaders(json.headers, 'resource', { label: 'JSON 503' })
      const upload = await get('/uploads/brochure.pdf', 'application/json')
      expect(upload.status).toBe(503)
      expectSecurityHeaders(upload.headers, 'resource', { label: 'uploads 503' })
    }
    finally {
      proxy.available = true
    }
    // a CMS error on /uploads is the site's own 503, not the CMS's body
    proxy.respond = url => url.startsWith('/uploads/')
      ? { status: 500, body: '{"error":{"message":"at Object.<anonymous> (/srv/cms/node_modules/x.js:1:1)"}}' }
      : undefined
    try {
      const upload = await get('/uploads/brochure.pdf', 'application/json')
      expect(upload.status).toBe(503)
      expectSecurityHeaders(upload.headers, 'resource', { label: 'uploads CMS error' })
      expect(upload.text).not.toMatch(STACK_TRACE)
    }
    finally {
      proxy.respond = null
    }
  })
})

describe('configuration', () => {
  let plain: SiteInstance

  beforeAll(async () => {
    plain = await startSite({
      cmsUrl: proxy.url,
      siteUrl: 'http://localhost:3000',
      env: { NUXT_PUBLIC_MEDIA_URL: 'https://media.isecg.example/files' },
    })
  })

  afterAll(async () => {
    await plain?.stop()
  })

  it('sends HSTS and upgrade-insecure-requests only when the public site URL is https', async () => {
    const page = await get('/about', HTML, plain)
    expectSecurityHeaders(page.headers, 'page', { https: false })
    for (const path of ['/feed.xml', '/api/news', '/no-such-page']) {
      expect((await get(path, '*/*', plain)).headers.get('strict-transport-security'), path).toBeNull()
    }
    expect((await get('/about')).headers.get('strict-transport-security')).toBe('max-age=31536000')
  })

  it('allows images and media from the configured media origin, and from nowhere else', async () => {
    const csp = parseCsp((await get('/members', HTML, plain)).headers.get('content-security-policy'))
    expect(csp.get('img-src')).toEqual(['\'self\'', 'https://media.isecg.example'])
    expect(csp.get('media-src')).toEqual(['\'self\'', 'https://media.isecg.example'])
    expect(parseCsp((await get('/members')).headers.get('content-security-policy')).get('img-src')).toEqual(['\'self\''])
  })
})
