import type { CmsInstance } from './harness'
/**
 * The admin's Preview (config/admin.ts, src/preview/site-preview.ts) through the Content Manager's
 * own HTTP API, as the admin panel asks for it: the URL each previewable type opens on the site, no
 * URL when preview is not set up or the admin user may not read the type, and the site's origin in
 * the frames the admin may show.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCms } from './harness'
import { signInAsAdmin } from './support/admin'

const SITE = 'http://site.test'
const PREVIEW_SECRET = `${'s'.repeat(16)}preview-secret-for-tests`

let cms: CmsInstance

beforeAll(async () => {
  cms = await startCms({
    env: { SITE_URL: SITE, PREVIEW_SECRET },
  })
})

afterAll(async () => {
  await cms?.stop()
})

function previewPath(uid: string, query: Record<string, string>) {
  return `/content-manager/preview/url/${uid}?${new URLSearchParams(query).toString()}`
}

async function documentId(uid: string, slug: string): Promise<string> {
  const found = await cms.strapi.documents(uid as 'api::news-article.news-article').findFirst({
    filters: { slug },
    status: 'draft',
  } as never)
  if (!found)
    throw new Error(`no ${uid} with slug ${slug}`)
  return found.documentId
}

describe('admin preview', () => {
  it('opens each previewable type at its page on the site, through the site\'s preview route with the secret', async () => {
    const admin = await signInAsAdmin(cms)
    const draft = await cms.strapi.documents('api::news-article.news-article').create({
      data: {
        title: 'Draft for the admin preview',
        slug: 'draft-for-the-admin-preview',
        date: '2026-03-01',
        visibility: 'members',
      },
    } as never)
    const faq = await cms.strapi.documents('api::faq.faq').findFirst({ status: 'draft' })
    const publication = await cms.strapi.documents('api::publication.publication').findFirst({ status: 'draft' })
    const cases: { uid: string, documentId?: string, path: string }[] = [
      { uid: 'api::news-article.news-article', documentId: draft.documentId, path: '/news/draft-for-the-admin-preview' },
      { uid: 'api::publication.publication', documentId: publication!.documentId, path: `/publications/${publication!.slug}` },
      { uid: 'api::topic.topic', documentId: await documentId('api::topic.topic', 'advanced-technology'), path: '/advanced-technology' },
      { uid: 'api::faq.faq', documentId: faq!.documentId, path: `/faq#${faq!.slug}` },
      { uid: 'api::homepage.homepage', path: '/' },
      { uid: 'api::about-page.about-page', path: '/about' },
    ]
    for (const { uid, documentId, path } of cases) {
      const { status, body } = await admin.request('GET', previewPath(uid, {
        ...(documentId
          ? { documentId }
          : {}),
        status: 'draft',
      }))
      expect(status, uid).toBe(200)
      const url = new URL(body.data.url)
      expect(`${url.origin}${url.pathname}`, uid).toBe(`${SITE}/api/preview`)
      expect(Object.fromEntries(url.searchParams), uid).toEqual({ secret: PREVIEW_SECRET, path, status: 'draft' })
    }

    // the admin's "Published" tab: the published version, when there is one
    const published = await admin.request('GET', previewPath('api::about-page.about-page', { status: 'published' }))
    expect(new URL(published.body.data.url).searchParams.get('status')).toBe('published')
    expect((await admin.request('GET', previewPath('api::news-article.news-article', { documentId: draft.documentId, status: 'published' }))).status).toBe(204)
  })

  it('gives no preview URL without PREVIEW_SECRET, for types without a page, or to an admin user who may not read the type', async () => {
    const admin = await signInAsAdmin(cms)
    const about = previewPath('api::about-page.about-page', { status: 'draft' })
    expect((await admin.request('GET', about)).status).toBe(200)

    // a type the site shows no page for
    const agency = await cms.strapi.documents('api::member-agency.member-agency').findFirst({ status: 'draft' })
    expect((await admin.request('GET', previewPath('api::member-agency.member-agency', { documentId: agency!.documentId, status: 'draft' }))).status).toBe(204)

    // an admin user whose role holds no Content Manager permission (the route itself only asks
    // for a signed-in admin)
    await cms.strapi.service('admin::role').create({ name: 'No content access', code: 'no-content-access', description: 'test' })
    const outsider = await signInAsAdmin(cms, 'outsider@isecg.test', 'no-content-access')
    const refused = await outsider.request('GET', about)
    expect(refused.status).toBe(204)
    expect(JSON.stringify(refused.body)).not.toContain(PREVIEW_SECRET)

    for (const secret of [undefined, 'too-short']) {
      try {
        if (secret === undefined)
          delete process.env.PREVIEW_SECRET
        else process.env.PREVIEW_SECRET = secret
        expect((await admin.request('GET', about)).status).toBe(204)
      }
      finally {
        process.env.PREVIEW_SECRET = PREVIEW_SECRET
      }
    }
  })

  it('lets the admin frame the site\'s origin (CSP frame-src)', async () => {
    const response = await fetch(`${cms.url}/admin/init`)
    const csp = response.headers.get('content-security-policy') ?? ''
    const frameSrc = csp.split(';').map(directive => directive.trim()).find(directive => directive.startsWith('frame-src'))
    expect(frameSrc?.split(/\s+/) ?? []).toContain(SITE)
  })
})
