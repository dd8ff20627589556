import type { CmsInstance } from '../../../cms/tests/harness'
import type { AdminSession } from '../../../cms/tests/support/admin'
import type { CmsProxy } from '../support/cms-proxy'
import type { SiteInstance } from '../support/site'
/**
 * The preview of drafts end to end: the CMS admin's preview URL (config/admin.ts) opened on the
 * built site (server/api/preview), the draft rendered by the real pages with the preview bar, and
 * everything around it: the secret, the redirect target, the cookie a visitor cannot make, the
 * headers (no-store, noindex, framable by the admin only) and the two caches it never enters.
 */
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCms } from '../../../cms/tests/harness'
import { signInAsAdmin } from '../../../cms/tests/support/admin'
import { sealPreview } from '../../server/utils/preview'
import { startCmsProxy } from '../support/cms-proxy'
import { parseCsp } from '../support/csp'
import { freePort, startSite } from '../support/site'

const PREVIEW_SECRET = randomBytes(32).toString('base64url')
const PREVIEW_TOKEN = randomBytes(32).toString('base64url')
const ADMIN_ORIGIN = 'https://cms-admin.isecg.example'

let cms: CmsInstance
let proxy: CmsProxy
let site: SiteInstance
let admin: AdminSession

beforeAll(async () => {
  const port = await freePort()
  cms = await startCms({
    env: {
      SITE_URL: `http://127.0.0.1:${port}`,
      PREVIEW_SECRET,
      PREVIEW_TOKEN,
    },
  })
  proxy = await startCmsProxy(cms.url)
  site = await startSite({
    cmsUrl: proxy.url,
    port,
    siteKey: cms.siteKey,
    env: {
      NUXT_PREVIEW_SECRET: PREVIEW_SECRET,
      NUXT_CMS_PREVIEW_TOKEN: PREVIEW_TOKEN,
      NUXT_CMS_ADMIN_ORIGIN: ADMIN_ORIGIN,
    },
  })
  admin = await signInAsAdmin(cms)
})

afterAll(async () => {
  await site?.stop()
  await proxy?.stop()
  await cms?.stop()
})

interface Answer {
  status: number
  headers: Headers
  text: string
  location: string | null
  setCookies: string[]
}

async function get(path: string, cookie?: string): Promise<Answer> {
  const response = await fetch(`${site.url}${path}`, {
    redirect: 'manual',
    headers: {
      accept: 'text/html,application/xhtml+xml,*/*;q=0.8',
      ...(cookie
        ? { cookie }
        : {}),
    },
  })
  return {
    status: response.status,
    headers: response.headers,
    text: await response.text(),
    location: response.headers.get('location'),
    setCookies: response.headers.getSetCookie(),
  }
}

const enter = (query: Record<string, string>) => get(`/api/preview?${new URLSearchParams(query).toString()}`)

/** Opens a preview through the site's route, as the admin's frame does, and returns its cookie. */
async function previewCookie(path: string, status = 'draft'): Promise<string> {
  const answer = await enter({ secret: PREVIEW_SECRET, path, status })
  expect(answer.status).toBe(302)
  expect(answer.location).toBe(path)
  const cookie = answer.setCookies.find(header => header.startsWith('isecg-preview='))
  expect(cookie).toBeDefined()
  return cookie!.split(';')[0]!
}

/** The URL the admin's "Open preview" shows for an entry (GET /content-manager/preview/url/:uid). */
async function adminPreviewUrl(uid: string, documentId?: string, status = 'draft'): Promise<URL> {
  const query = new URLSearchParams({
    ...(documentId
      ? { documentId }
      : {}),
    status,
  })
  const { status: code, body } = await admin.request('GET', `/content-manager/preview/url/${uid}?${query.toString()}`)
  expect(code).toBe(200)
  return new URL(body.data.url)
}

const PREVIEW_BAR = 'Preview: draft'
const run = Date.now().toString(36)
const news = () => cms.strapi.documents('api::news-article.news-article')

/** A news article never published: only its draft exists. */
async function draftArticle(label: string, visibility: 'public' | 'members' = 'public') {
  const slug = `${label}-${run}`
  const title = `${label.replace(/-/g, ' ')} ${run}`
  const created = await news().create({
    data: {
      title,
      slug,
      date: '2026-02-01',
      summary: 'Not yet published.',
      body: `Draft body of ${slug}.`,
      visibility,
    },
  } as never)
  return { slug, title, documentId: created.documentId }
}

/** A published news article whose draft has since been edited (a new title, not yet published). */
async function editedArticle(label: string) {
  const slug = `${label}-${run}`
  const published = `${label} published ${run}`
  const edited = `${label} edited draft ${run}`
  const created = await news().create({
    data: {
      title: published,
      slug,
      date: '2026-01-15',
      summary: 'Published.',
      visibility: 'public',
    },
    status: 'published',
  } as never)
  await news().update({
    documentId: created.documentId,
    data: { title: edited },
  } as never)
  return {
    slug,
    published,
    edited,
    documentId: created.documentId,
  }
}

describe('entering a preview', () => {
  it('refuses a wrong or missing secret: 401, no cookie, no redirect', async () => {
    for (const secret of [
      undefined,
      '',
      'wrong',
      `${PREVIEW_SECRET}x`,
      PREVIEW_SECRET.slice(0, -1),
    ]) {
      const answer = await enter({
        ...(secret === undefined
          ? {}
          : { secret }),
        path: '/news',
      })
      expect(answer.status, String(secret)).toBe(401)
      expect(answer.location).toBeNull()
      expect(answer.setCookies).toEqual([])
      expect(answer.headers.get('content-type')).toMatch(/^text\/plain/)
    }
  })

  it('refuses absolute, protocol-relative and malformed paths with 400 and no Location, even with the right secret', async () => {
    const refused = [
      '//evil.com',
      '/\\evil.com',
      '\\\\evil.com',
      '/\\/evil.com',
      'https://evil.com',
      'http:evil.com',
      'HTTPS://evil.com/news',
      'javascript:alert(1)',
      'JavaScript:alert(document.cookie)',
      'data:text/html,<script>alert(1)</script>',
      'evil.com',
      'news/slug',
      '/news/..//evil.com',
      '/./\\evil.com',
      '/\t/evil.com',
      '/\n/evil.com',
      '/news\r\nSet-Cookie: isecg-preview=forged',
      '/news\u0000',
      '/news\u007F',
      '/news\u0085',
      '/news\\slug',
      '/ /evil.com',
      '',
    ]
    for (const path of refused) {
      const answer = await enter({ secret: PREVIEW_SECRET, path })
      expect(answer.status, JSON.stringify(path)).toBe(400)
      expect(answer.location, JSON.stringify(path)).toBeNull()
      expect(answer.setCookies, JSON.stringify(path)).toEqual([])
    }
    // no path at all, twice the path, an unknown status
    for (const query of ['', '&path=/news&path=/faq', '&path=/news&status=live']) {
      const answer = await get(`/api/preview?secret=${encodeURIComponent(PREVIEW_SECRET)}${query}`)
      expect(answer.status, query).toBe(400)
      expect(answer.location).toBeNull()
    }
    // site paths stay on the site, percent-encoded as a browser would send them
    for (const [path, location] of [
      ['/%2F%2Fevil.com/x?q=a%20b#top', '/%2F%2Fevil.com/x?q=a%20b#top'],
      ['/news/./a/../b', '/news/b'],
      ['/actualités', '/actualit%C3%A9s'],
    ]) {
      const kept = await enter({ secret: PREVIEW_SECRET, path: path! })
      expect(kept.status, path).toBe(302)
      expect(kept.location, path).toBe(location)
    }
  })

  it('sets a short-lived, httpOnly, SameSite=Lax cookie and sends the browser to the page, uncached and unindexed', async () => {
    const answer = await enter({ secret: PREVIEW_SECRET, path: '/news?page=1', status: 'draft' })
    expect(answer.status).toBe(302)
    expect(answer.location).toBe('/news?page=1')
    expect(answer.setCookies).toHaveLength(1)
    const attributes = answer.setCookies[0]!.split(';').map(part => part.trim().toLowerCase())
    expect(attributes).toEqual(expect.arrayContaining([
      'httponly',
      'samesite=lax',
      'path=/',
      'max-age=3600',
    ]))
    expect(answer.headers.get('cache-control')).toBe('no-store')
    expect(answer.headers.get('x-robots-tag')).toBe('noindex')
    expect(answer.headers.get('referrer-policy')).toBe('no-referrer')
  })
})

describe('a preview', () => {
  it('shows a draft in preview, with the bar, and not on the public page', async () => {
    const draft = await draftArticle('preview-only-draft')
    const edited = await editedArticle('preview-edited')
    await site.purgeCaches()
    expect((await get(`/news/${draft.slug}`)).status).toBe(404)
    const publicPage = await get(`/news/${edited.slug}`)
    expect(publicPage.status).toBe(200)
    expect(publicPage.text).toContain(edited.published)
    expect(publicPage.text).not.toContain(edited.edited)
    expect(publicPage.text).not.toContain(PREVIEW_BAR)

    // the URL the admin opens, followed as its frame does
    const url = await adminPreviewUrl('api::news-article.news-article', draft.documentId)
    expect(url.origin).toBe(site.url)
    const entered = await get(`${url.pathname}${url.search}`)
    expect(entered.status).toBe(302)
    expect(entered.location).toBe(`/news/${draft.slug}`)
    const cookie = entered.setCookies[0]!.split(';')[0]!

    const preview = await get(`/news/${draft.slug}`, cookie)
    expect(preview.status).toBe(200)
    expect(preview.text).toContain(draft.title)
    expect(preview.text).toContain(`Draft body of ${draft.slug}.`)
    expect(preview.text).toContain(PREVIEW_BAR)
    expect(preview.text).toContain(`href="/api/preview/exit?path=%2Fnews%2F${draft.slug}"`)
    const previewEdited = await get(`/news/${edited.slug}`, cookie)
    expect(previewEdited.text).toContain(edited.edited)
    expect(previewEdited.text).not.toContain(edited.published)
    // the page's data route, as the browser asks it after client-side navigation
    const json = await get(`/api/news/${draft.slug}`, cookie)
    expect(json.status).toBe(200)
    expect(JSON.parse(json.text).title).toBe(draft.title)

    // and still not on the public site, whatever the preview did
    expect((await get(`/news/${draft.slug}`)).status).toBe(404)
    expect((await get(`/api/news/${draft.slug}`)).status).toBe(404)
    expect((await get(`/news/${edited.slug}`)).text).toContain(edited.published)

    // "Exit preview": the cookie goes, the published page comes back
    const exit = await get(`/api/preview/exit?path=${encodeURIComponent(`/news/${edited.slug}`)}`, cookie)
    expect(exit.status).toBe(302)
    expect(exit.location).toBe(`/news/${edited.slug}`)
    expect(exit.setCookies.some(header => header.startsWith('isecg-preview=;') && /max-age=0/i.test(header))).toBe(true)
    expect((await get(`/api/preview/exit?path=${encodeURIComponent('//evil.com')}`)).location).toBe('/')
  })

  it('answers Cache-Control: no-store, X-Robots-Tag: noindex, framable by the CMS admin\'s origin only, and holds neither secret', async () => {
    const draft = await draftArticle('preview-headers')
    const cookie = await previewCookie(`/news/${draft.slug}`)
    for (const path of [
      `/news/${draft.slug}`,
      '/news',
      '/',
      `/api/news/${draft.slug}`,
      '/api/site',
    ]) {
      const answer = await get(path, cookie)
      expect(answer.status, path).toBe(200)
      expect(answer.headers.get('cache-control'), path).toBe('no-store')
      expect(answer.headers.get('x-robots-tag'), path).toBe('noindex')
      expect(answer.headers.get('x-frame-options'), path).toBeNull()
      expect(answer.text, path).not.toContain(PREVIEW_SECRET)
      expect(answer.text, path).not.toContain(PREVIEW_TOKEN)
      expect(answer.text, path).not.toContain(cookie.split('=')[1])
      if (!path.startsWith('/api/'))
        expect(parseCsp(answer.headers.get('content-security-policy')).get('frame-ancestors'), path).toEqual([ADMIN_ORIGIN])
    }
    // the same pages without the preview: cacheable, unframable
    const published = await get('/news')
    expect(published.headers.get('cache-control')).toMatch(/s-maxage=60/)
    expect(published.headers.get('x-frame-options')).toBe('DENY')
    expect(parseCsp(published.headers.get('content-security-policy')).get('frame-ancestors')).toEqual(['\'none\''])
    expect(published.headers.get('x-robots-tag')).toBeNull()
  })

  it('never lands in the page cache or the CMS read cache: the public page right after a preview is the published one', async () => {
    const edited = await editedArticle('preview-cache')
    const path = `/news/${edited.slug}`
    await site.purgeCaches()
    // the public page, now in the page cache and its CMS reads in the CMS read cache
    const before = await get(path)
    expect(before.text).toContain(edited.published)
    // a page rendered again would carry a later Last-Modified (whole seconds)
    await new Promise(resolve => setTimeout(resolve, 1100))
    const cookie = await previewCookie(path)
    for (let visit = 1; visit <= 2; visit++) {
      proxy.reset()
      const preview = await get(path, cookie)
      expect(preview.text, `visit ${visit}`).toContain(edited.edited)
      // read from the CMS on every visit, as drafts, with neither cache answering
      const reads = proxy.requests.filter(request => request.startsWith('/api/news-articles'))
      expect(reads, `visit ${visit}`).toHaveLength(1)
      expect(new URL(reads[0]!, cms.url).searchParams.get('status')).toBe('draft')
    }
    proxy.reset()
    const after = await get(path)
    expect(after.text).toContain(edited.published)
    expect(after.text).not.toContain(edited.edited)
    expect(after.text).not.toContain(PREVIEW_BAR)
    expect(after.headers.get('cache-control')).toMatch(/s-maxage=60/)
    // served from the page cache, which still holds the public page (not even evicted)
    expect(after.headers.get('last-modified')).toBe(before.headers.get('last-modified'))
    expect(proxy.requests).toEqual([])
    // rendered afresh (a URL no one asked before) from the CMS read cache: the public answer
    const fresh = await get(`${path}?after-preview=${run}`)
    expect(fresh.text).toContain(edited.published)
    expect(fresh.text).not.toContain(edited.edited)
  })

  it('previews members-only drafts for the editor, never for the public', async () => {
    const draft = await draftArticle('members-only-draft', 'members')
    expect((await get(`/news/${draft.slug}`)).status).toBe(404)
    const url = await adminPreviewUrl('api::news-article.news-article', draft.documentId)
    const cookie = (await get(`${url.pathname}${url.search}`)).setCookies[0]!.split(';')[0]!
    const preview = await get(`/news/${draft.slug}`, cookie)
    expect(preview.status).toBe(200)
    expect(preview.text).toContain(draft.title)
    expect(preview.text).toContain(PREVIEW_BAR)
    // lists stay as the public will see them: a members-only article is not listed
    expect((await get('/news', cookie)).text).not.toContain(draft.title)
    expect((await get(`/news/${draft.slug}`)).status).toBe(404)
    expect((await get(`/api/news/${draft.slug}`)).status).toBe(404)
  })

  it('cannot be forged: a cookie not made by the site with its secret is deleted and the visitor sees the public site', async () => {
    const draft = await draftArticle('forged-cookie-draft')
    const genuine = await previewCookie(`/news/${draft.slug}`)
    expect((await get(`/news/${draft.slug}`, genuine)).status).toBe(200)

    const value = genuine.split('=')[1]!
    const [version, status, expires, signature] = value.split('.')
    const later = Date.now() + 30 * 60_000
    const forged = [
      '1',
      'true',
      'draft',
      `v1.draft.${later}`,
      `${version}.published.${expires}.${signature}`,
      `${version}.${status}.${Number(expires) + 1000}.${signature}`,
      `${version}.${status}.${expires}.${signature!.slice(0, -2)}AA`,
      `${version}.${status}.${expires}.${randomBytes(32).toString('base64url')}`,
      sealPreview(randomBytes(32).toString('base64url'), { status: 'draft', expiresAt: later }),
      // signed with the site's secret but expired, or claiming to last longer than a preview does
      sealPreview(PREVIEW_SECRET, { status: 'draft', expiresAt: Date.now() - 1000 }),
      sealPreview(PREVIEW_SECRET, { status: 'draft', expiresAt: Date.now() + 48 * 3600_000 }),
    ]
    for (const forgery of forged) {
      const answer = await get(`/news/${draft.slug}`, `isecg-preview=${forgery}`)
      expect(answer.status, forgery).toBe(404)
      expect(answer.text, forgery).not.toContain(draft.title)
      expect(answer.text, forgery).not.toContain(PREVIEW_BAR)
      expect(answer.headers.get('x-frame-options'), forgery).toBe('DENY')
      expect(answer.setCookies.some(header => header.startsWith('isecg-preview=;')), forgery).toBe(true)
      const json = await get(`/api/news/${draft.slug}`, `isecg-preview=${forgery}`)
      expect(json.status, forgery).toBe(404)
    }
    // nor can a visitor hand the CMS's preview credential to the site
    const withHeader = await fetch(`${site.url}/news/${draft.slug}`, {
      headers: { 'x-preview-token': PREVIEW_TOKEN },
    })
    expect(withHeader.status).toBe(404)
  })

  it('shows the drafts of publications, topics, FAQ, the home page and the About page at their pages', async () => {
    const publication = await cms.strapi.documents('api::publication.publication').create({
      data: {
        title: `Draft roadmap ${run}`,
        slug: `draft-roadmap-${run}`,
        kind: 'roadmap',
        publicationDate: '2026-05-01',
        abstract: 'A roadmap in the making.',
        visibility: 'public',
      },
    } as never)
    const faq = await cms.strapi.documents('api::faq.faq').create({
      data: {
        question: `Is this question a draft ${run}?`,
        slug: `draft-question-${run}`,
        answer: 'Yes, not yet published.',
        category: 'General',
      },
    } as never)
    const single = async (uid: 'api::homepage.homepage' | 'api::about-page.about-page', data: Record<string, string>) => {
      const document = await cms.strapi.documents(uid).findFirst({ status: 'draft' })
      await cms.strapi.documents(uid).update({ documentId: document!.documentId, data } as never)
    }
    await single('api::homepage.homepage', { heroTitle: `Draft hero ${run}` })
    await single('api::about-page.about-page', { title: `Draft about ${run}` })
    const topic = await cms.strapi.documents('api::topic.topic').findFirst({
      filters: { slug: 'lunar-volatiles' },
      status: 'draft',
    } as never)
    await cms.strapi.documents('api::topic.topic').update({
      documentId: topic!.documentId,
      data: { intro: `Draft topic intro ${run}` },
    } as never)
    await site.purgeCaches()

    const cases = [
      {
        uid: 'api::publication.publication',
        documentId: publication.documentId,
        page: `/publications/draft-roadmap-${run}`,
        text: `Draft roadmap ${run}`,
      },
      {
        uid: 'api::faq.faq',
        documentId: faq.documentId,
        page: '/faq',
        text: `Is this question a draft ${run}?`,
      },
      { uid: 'api::homepage.homepage', page: '/', text: `Draft hero ${run}` },
      { uid: 'api::about-page.about-page', page: '/about', text: `Draft about ${run}` },
      {
        uid: 'api::topic.topic',
        documentId: topic!.documentId,
        page: '/lunar-volatiles',
        text: `Draft topic intro ${run}`,
      },
    ]
    for (const { uid, documentId, page, text } of cases) {
      expect((await get(page)).text, `${uid} public`).not.toContain(text)
      const url = await adminPreviewUrl(uid, documentId)
      const entered = await get(`${url.pathname}${url.search}`)
      expect(entered.status, uid).toBe(302)
      expect(entered.location!.split('#')[0], uid).toBe(page)
      const cookie = entered.setCookies[0]!.split(';')[0]!
      const preview = await get(page, cookie)
      expect(preview.status, uid).toBe(200)
      expect(preview.text, uid).toContain(text)
      expect(preview.text, uid).toContain(PREVIEW_BAR)
      expect((await get(page)).text, `${uid} public after`).not.toContain(text)
    }
  })

  it('shows the published version for the admin\'s "Published" tab', async () => {
    const edited = await editedArticle('preview-published-tab')
    const url = await adminPreviewUrl('api::news-article.news-article', edited.documentId, 'published')
    const cookie = (await get(`${url.pathname}${url.search}`)).setCookies[0]!.split(';')[0]!
    const preview = await get(`/news/${edited.slug}`, cookie)
    expect(preview.text).toContain(edited.published)
    expect(preview.text).not.toContain(edited.edited)
    expect(preview.text).toContain('Preview: published')
    expect(preview.headers.get('cache-control')).toBe('no-store')
  })
})
