import type { CmsInstance } from './harness'
import type { TestMember } from './support/members'
import type { UploadedFile } from './support/uploads'
/**
 * Protected files (docs/private-area.md): the CMS's /uploads serves a file, original or format,
 * only when it is attached to a public, published entry; members download the others through
 * /api/member-files/:fileId, which streams the bytes with private headers and records the download.
 */
import { readFileSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makePdf } from '../src/utils/pdf'
import { cmsDir, startCms } from './harness'
import { signInAsAdmin } from './support/admin'
import { createMember } from './support/members'
import { siteCall } from './support/site'
import { makePng, upload, urlsOf } from './support/uploads'

let cms: CmsInstance
let member: TestMember
const files: Record<'publicImage' | 'publicPdf' | 'membersImage' | 'draftImage' | 'orphanImage' | 'documentPdf', UploadedFile> = {} as never
let publicArticle: string
const documentPdfBytes = makePdf(['Member document for the download test', 'Members only.'], 'Download test')

/** A GET with the path sent exactly as written (no URL normalising by the client). */
function rawGet(path: string): Promise<number> {
  const { hostname, port } = new URL(cms.url)
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: 'GET' }, (response) => {
      response.resume()
      resolve(response.statusCode ?? 0)
    })
    req.on('error', reject)
    req.end()
  })
}

const status = async (url: string) => (await fetch(`${cms.url}${url}`)).status

beforeAll(async () => {
  cms = await startCms()
  const { strapi } = cms
  member = await createMember(strapi, { email: 'downloader@esa.example', fullName: 'Dee Downloader' })
  const png = makePng(1200, 900, [11, 31, 58])
  files.publicImage = await upload(strapi, 'public-cover.png', 'image/png', png)
  files.publicPdf = await upload(strapi, 'public-attachment.pdf', 'application/pdf', makePdf(['Public attachment'], 'Public'))
  files.membersImage = await upload(strapi, 'members-cover.png', 'image/png', png)
  files.draftImage = await upload(strapi, 'draft-cover.png', 'image/png', png)
  files.orphanImage = await upload(strapi, 'orphan.png', 'image/png', png)
  files.documentPdf = await upload(strapi, 'Plenary minutes – draft.pdf', 'application/pdf', documentPdfBytes)

  const news = strapi.documents('api::news-article.news-article')
  const article = await news.create({
    data: {
      title: 'Public with files',
      slug: 'pf-public',
      date: '2026-10-01',
      visibility: 'public',
      cover: files.publicImage.id,
      attachments: [files.publicPdf.id],
    },
    status: 'published',
  } as never)
  publicArticle = article.documentId
  await news.create({
    data: {
      title: 'Members with files',
      slug: 'pf-members',
      date: '2026-10-02',
      visibility: 'members',
      cover: files.membersImage.id,
    },
    status: 'published',
  } as never)
  await news.create({
    data: {
      title: 'Draft with files',
      slug: 'pf-draft',
      date: '2026-10-03',
      visibility: 'public',
      cover: files.draftImage.id,
    },
  } as never)
  await strapi.documents('api::member-document.member-document').create({
    data: {
      title: 'Plenary minutes (download test)',
      slug: 'pf-minutes',
      kind: 'minutes',
      date: '2026-10-04',
      file: files.documentPdf.id,
    },
    status: 'published',
  } as never)
})

afterAll(async () => {
  await cms?.stop()
})

describe('the CMS\'s /uploads', () => {
  it('generates every image format the tests rely on', () => {
    expect(Object.keys(files.publicImage.formats ?? {}).sort()).toEqual([
      'large',
      'medium',
      'small',
      'thumbnail',
    ])
  })

  it('serves public files, originals and every format', async () => {
    for (const url of [
      ...urlsOf(files.publicImage),
      files.publicPdf.url,
    ])
      expect(await status(url), url).toBe(200)
  })

  it.each([
    ['members-only entries', 'membersImage'],
    ['draft-only entries', 'draftImage'],
    ['nothing', 'orphanImage'],
    ['member documents', 'documentPdf'],
  ] as const)('answers 404 for files of %s, original and every format', async (_, key) => {
    const urls = urlsOf(files[key])
    expect(urls.length).toBeGreaterThanOrEqual(key === 'documentPdf'
      ? 1
      : 5)
    for (const url of urls) {
      expect(await status(url), url).toBe(404)
      expect((await fetch(`${cms.url}${url}`, { method: 'HEAD' })).status, `HEAD ${url}`).toBe(404)
    }
  })

  it('answers 404 for protected files however the path is written', async () => {
    const name = files.membersImage.url.slice('/uploads/'.length)
    for (const path of [
      `/%75ploads/${name}`,
      `//uploads/${name}`,
      `/uploads/./${name}`,
      `/uploads/%2e/${name}`,
      `/x/../uploads/${name}`,
      `/uploads//${name}`,
      `/UPLOADS/${name}`,
    ])
      expect(await rawGet(path), path).toBe(404)
    // while the same spellings of a public file are served
    const open = files.publicImage.url.slice('/uploads/'.length)
    expect(await rawGet(`/%75ploads/${open}`)).toBe(200)
  })

  it('treats the seed\'s files the same way: member documents protected, public publications and the brochure served', async () => {
    const file = (name: string) => cms.strapi.db.query('plugin::upload.file').findOne({
      where: { name },
    })
    expect(await status((await file('placeholder-plenary-minutes-2026-spring.pdf')).url)).toBe(404)
    expect(await status((await file('placeholder-ger-working-draft.pdf')).url)).toBe(404)
    expect(await status((await file('global-exploration-roadmap-2024.pdf')).url)).toBe(200)
    expect(await status((await file('isecg-brochure.pdf')).url)).toBe(200)
    expect(await status('/uploads/.gitkeep')).toBe(404)
    expect(await status('/uploads/')).toBe(404)
  })

  it('follows an editor\'s change of visibility at once', async () => {
    const news = cms.strapi.documents('api::news-article.news-article')
    expect(await status(files.publicImage.url)).toBe(200)
    await news.update({
      documentId: publicArticle,
      data: { visibility: 'members' },
      status: 'published',
    } as never)
    for (const url of urlsOf(files.publicImage))
      expect(await status(url), url).toBe(404)
    await news.update({
      documentId: publicArticle,
      data: { visibility: 'public' },
      status: 'published',
    } as never)
    expect(await status(files.publicImage.url)).toBe(200)
    await news.unpublish({ documentId: publicArticle } as never)
    expect(await status(files.publicImage.url)).toBe(404)
    await news.publish({ documentId: publicArticle } as never)
    expect(await status(files.publicImage.url)).toBe(200)
  })
})

describe('member downloads', () => {
  const download = (id: number | string, call: Parameters<typeof siteCall>[3] = {}) => siteCall(cms, 'GET', `/api/member-files/${id}`, { jwt: member.jwt, ...call })

  it('streams a member document\'s file with private, attachment headers and records the download', async () => {
    const answer = await download(files.documentPdf.id)
    expect(answer.status).toBe(200)
    expect(answer.bytes.equals(documentPdfBytes)).toBe(true)
    expect(answer.bytes.equals(readFileSync(join(cmsDir, 'public', files.documentPdf.url)))).toBe(true)
    expect(answer.headers.get('content-type')).toBe('application/pdf')
    expect(answer.headers.get('cache-control')).toBe('private, no-store')
    expect(answer.headers.get('content-length')).toBe(String(documentPdfBytes.length))
    expect(answer.headers.get('content-disposition')).toBe('attachment; filename="Plenary minutes _ draft.pdf"; filename*=UTF-8\'\'Plenary%20minutes%20%E2%80%93%20draft.pdf')

    const [row] = await cms.strapi.db.query('api::member-download.member-download').findMany({
      where: { fileName: 'Plenary minutes – draft.pdf' },
      populate: { user: true, agency: true },
    })
    expect(row).toMatchObject({
      fileName: 'Plenary minutes – draft.pdf',
      documentTitle: 'Plenary minutes (download test)',
      documentType: 'Member document',
      user: { email: 'downloader@esa.example' },
      agency: { acronym: 'ESA' },
    })
    expect(Date.now() - new Date(row.downloadedAt).getTime()).toBeLessThan(60_000)
  })

  it('lets members download files of members-only entries too', async () => {
    const answer = await download(files.membersImage.id)
    expect(answer.status).toBe(200)
    expect(answer.headers.get('content-type')).toBe('image/png')
  })

  it('answers 401 without the site key or a member JWT, and 404 for files no member may read', async () => {
    const token = await cms.strapi.service('admin::api-token').create({
      name: 'download probe',
      description: 'x',
      type: 'read-only',
      lifespan: null,
    })
    const before = await cms.strapi.db.query('api::member-download.member-download').count()
    expect((await download(files.documentPdf.id, { key: false })).status).toBe(401)
    expect((await download(files.documentPdf.id, { jwt: undefined })).status).toBe(401)
    expect((await siteCall(cms, 'GET', `/api/member-files/${files.documentPdf.id}`, { key: false })).status).toBe(401)
    const asToken = await fetch(`${cms.url}/api/member-files/${files.documentPdf.id}`, {
      headers: { 'authorization': `Bearer ${token.accessKey}`, 'x-site-key': cms.siteKey },
    })
    expect(asToken.status).toBe(401)
    for (const id of [
      files.orphanImage.id,
      files.draftImage.id,
      999999,
      'abc',
      '1e3',
      -1,
    ])
      expect((await download(id)).status, String(id)).toBe(404)
    expect(await cms.strapi.db.query('api::member-download.member-download').count()).toBe(before)
  })

  it('shows the download records to editors newest first, and keeps them read-only', async () => {
    await download(files.publicPdf.id)
    const admin = await signInAsAdmin(cms)
    const path = '/content-manager/collection-types/api::member-download.member-download'
    const list = await admin.request('GET', `${path}?page=1&pageSize=10&sort=downloadedAt:DESC`)
    expect(list.status).toBe(200)
    expect(list.body.results[0].fileName).toBe('public-attachment.pdf')
    const configuration = await cms.strapi.plugin('content-manager').service('content-types').findConfiguration(cms.strapi.contentType('api::member-download.member-download'))
    expect(configuration.settings).toMatchObject({ defaultSortBy: 'downloadedAt', defaultSortOrder: 'DESC' })
    const edited = await admin.request('PUT', `${path}/${list.body.results[0].documentId}`, { fileName: 'tampered.pdf' })
    expect(edited.status).toBeGreaterThanOrEqual(400)
    const created = await admin.request('POST', path, {
      fileName: 'forged.pdf',
      downloadedAt: new Date().toISOString(),
    })
    expect(created.status).toBeGreaterThanOrEqual(400)
    expect(await cms.strapi.db.query('api::member-download.member-download').count({
      where: {
        fileName: {
          $in: ['tampered.pdf', 'forged.pdf'],
        },
      },
    })).toBe(0)

    // an admin of the Editor role reads them too, and may not change them
    const editor = await signInAsAdmin(cms, 'plain.editor@isecg.test', 'strapi-editor')
    const seen = await editor.request('GET', `${path}?page=1&pageSize=10&sort=downloadedAt:DESC`)
    expect(seen.status).toBe(200)
    expect(seen.body.results[0].fileName).toBe('public-attachment.pdf')
    expect((await editor.request('PUT', `${path}/${seen.body.results[0].documentId}`, { fileName: 'tampered.pdf' })).status).toBe(403)
    expect((await editor.request('POST', path, { fileName: 'forged.pdf' })).status).toBe(403)
  })
})
