import type { CmsInstance } from './harness'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { createCmsClient } from '@isecg/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { distDir, getJson, startCms } from './harness'
import { createMember } from './support/members'

const require = createRequire(import.meta.url)
const { agencies, publications, news, faqs, topics, seed } = require(join(distDir, 'src/seed/index.js'))
const { setPermissions } = require(join(distDir, 'src/bootstrap/permissions.js'))

let cms: CmsInstance
const secret = {
  news: 'members-only-plenary-minutes',
  publication: 'members-only-ger-2028-working-draft',
}

beforeAll(async () => {
  cms = await startCms()
  const documents = cms.strapi.documents
  const topic = await documents('api::topic.topic').findFirst({
    filters: { slug: 'lunar-volatiles' },
  })
  const ger2024 = await documents('api::publication.publication').findFirst({
    filters: { slug: 'global-exploration-roadmap-2024' },
  })
  await documents('api::news-article.news-article').create({
    data: {
      title: 'Members-only plenary minutes',
      slug: secret.news,
      date: '2026-11-20',
      body: 'Confidential minutes.',
      visibility: 'members',
      topics: [topic!.documentId],
    },
    status: 'published',
  })
  await documents('api::publication.publication').create({
    data: {
      title: 'GER 2028 working draft',
      slug: secret.publication,
      kind: 'roadmap',
      publicationDate: '2026-11-01',
      visibility: 'members',
      supersedes: ger2024!.documentId,
      topics: [topic!.documentId],
    },
    status: 'published',
  })
  await documents('api::news-article.news-article').create({
    data: {
      title: 'Unpublished draft',
      slug: 'unpublished-draft',
      date: '2026-11-21',
      visibility: 'public',
    },
  })
})

afterAll(async () => {
  await cms?.stop()
})

const slugsOf = (body: { data: Array<{ slug: string }> }) => body.data.map(entry => entry.slug)

describe('public content API', () => {
  it.each([
    ['member-agencies', agencies.length],
    ['publications', publications.length],
    ['news-articles', news.length],
    ['faqs', faqs.length],
    ['topics', topics.length],
  ])('lists every published public %s entry', async (collection, expected) => {
    const { status, body } = await getJson(cms, `/api/${collection}?pagination[pageSize]=100`)
    expect(status).toBe(200)
    expect(body.meta.pagination.total).toBe(expected)
    expect(body.data).toHaveLength(expected)
  })

  it('lists the seeded member agencies with their founding facts', async () => {
    const { body } = await getJson(cms, '/api/member-agencies?pagination[pageSize]=100&sort=sortOrder:asc')
    const byAcronym = new Map(body.data.map((agency: any) => [agency.acronym, agency]))
    expect(byAcronym.get('NASA')).toMatchObject({ country: 'United States', yearJoined: 2007, founder: true })
    expect(byAcronym.get('NZSA')).toMatchObject({ country: 'New Zealand', yearJoined: 2021, founder: false })
    expect(body.data.filter((agency: any) => agency.founder)).toHaveLength(14)
  })

  it.each([
    'member-agencies',
    'publications',
    'news-articles',
    'faqs',
    'topics',
  ])('returns one %s entry by documentId', async (collection) => {
    const list = await getJson(cms, `/api/${collection}?pagination[pageSize]=1`)
    const first = list.body.data[0]
    const { status, body } = await getJson(cms, `/api/${collection}/${first.documentId}`)
    expect(status).toBe(200)
    expect(body.data.documentId).toBe(first.documentId)
  })

  it.each([
    ['homepage', 'heroTitle'],
    ['site-setting', 'siteName'],
    ['about-page', 'termsOfReference'],
  ])('serves the %s single type', async (name, field) => {
    const { status, body } = await getJson(cms, `/api/${name}`)
    expect(status).toBe(200)
    expect(body.data[field]).toBeTruthy()
  })

  it('answers 404 for an unknown documentId', async () => {
    const { status } = await getJson(cms, '/api/news-articles/doesnotexist000000000000')
    expect(status).toBe(404)
  })

  it('returns the edition lineage of the Global Exploration Roadmap', async () => {
    const { body } = await getJson(
      cms,
      '/api/publications?filters[slug][$eq]=global-exploration-roadmap-2018&populate[supersedes][fields][0]=slug&populate[supersededBy][fields][0]=slug&populate[supplementedBy][fields][0]=slug',
    )
    const ger2018 = body.data[0]
    expect(ger2018.supersedes.slug).toBe('global-exploration-roadmap-2013')
    expect(ger2018.supersededBy.slug).toBe('global-exploration-roadmap-2024')
    expect(ger2018.supplementedBy.map((p: any) => p.slug).sort()).toEqual(['ger-supplement-2020-lunar-surface-exploration-scenario-update', 'ger-supplement-2022'])
  })

  it('does not return drafts, even when asked for them', async () => {
    for (const query of [
      '',
      '&status=draft',
      '&status=published',
      '&hasPublishedVersion=false',
      '&status=draft&hasPublishedVersion=false',
    ]) {
      const { status, body } = await getJson(cms, `/api/news-articles?filters[slug][$eq]=unpublished-draft${query}`)
      expect(status, query).toBeLessThan(500)
      expect(JSON.stringify(body), query).not.toContain('Unpublished draft')
    }
    const drafts = await getJson(cms, '/api/news-articles?status=draft&pagination[pageSize]=100')
    expect(JSON.stringify(drafts.body)).not.toContain('unpublished-draft')
  })
})

describe('typed client against the real CMS', () => {
  it('reads a publication with its lineage through @isecg/shared', async () => {
    const client = createCmsClient({ baseUrl: cms.url })
    const ger = await client.findBySlug('publications', 'global-exploration-roadmap-2013', {
      fields: ['title', 'kind', 'publicationDate'],
      populate: {
        supersedes: {
          fields: ['slug'],
        },
        supersededBy: {
          fields: ['slug'],
        },
      },
    })
    expect(ger).toMatchObject({ kind: 'roadmap', publicationDate: '2013-08-01' })
    expect(ger!.supersededBy).toMatchObject({ slug: 'global-exploration-roadmap-2018' })
    const page = await client.find('member-agencies', {
      sort: ['yearJoined:desc'],
      pagination: { page: 1, pageSize: 5 },
    })
    expect(page.data[0]!.acronym).toBe('NZSA')
    expect(page.meta.pagination.total).toBe(agencies.length)
    await expect(client.find('news-articles', {
      filters: {
        // @ts-expect-error an unknown field is a type error for the typed client, and a 400 for the CMS
        nope: { $eq: 1 },
      },
    })).rejects.toMatchObject({ status: 400 })
  })
})

describe('members-only content', () => {
  it('hides members-only news and publications from public lists and totals', async () => {
    const newsList = await getJson(cms, '/api/news-articles?pagination[pageSize]=100')
    expect(slugsOf(newsList.body)).not.toContain(secret.news)
    expect(newsList.body.meta.pagination.total).toBe(news.length)
    const pubList = await getJson(cms, '/api/publications?pagination[pageSize]=100')
    expect(slugsOf(pubList.body)).not.toContain(secret.publication)
    expect(pubList.body.meta.pagination.total).toBe(publications.length)
  })

  it('hides members-only entries from a public lookup by slug or documentId', async () => {
    const bySlug = await getJson(cms, `/api/news-articles?filters[slug][$eq]=${secret.news}`)
    expect(bySlug.body.data).toEqual([])
    const entry = await cms.strapi.documents('api::news-article.news-article').findFirst({
      filters: { slug: secret.news },
      status: 'published',
    })
    const byId = await getJson(cms, `/api/news-articles/${entry!.documentId}`)
    expect(byId.status).toBe(404)
    expect(JSON.stringify(byId.body)).not.toContain('Confidential')
  })

  it('ignores public filters that ask for members-only entries', async () => {
    for (const query of [
      'filters[visibility][$eq]=members',
      'filters[$or][0][visibility][$eq]=members&filters[$or][1][slug][$eq]=x',
      'filters[visibility][$ne]=public',
      'filters[title][$containsi]=members-only',
    ]) {
      const { status, body } = await getJson(cms, `/api/news-articles?${query}`)
      expect(status, query).toBe(200)
      expect(body.data, query).toEqual([])
    }
  })

  it('hides members-only entries populated through relations, in every populate form', async () => {
    for (const query of [
      'populate[newsArticles][fields][0]=slug&populate[publications][fields][0]=slug',
      'populate=newsArticles,publications',
      'populate[0]=newsArticles&populate[1]=publications',
      'populate=*',
      'populate[publications][populate][supersedes][fields][0]=slug',
    ]) {
      const { status, body } = await getJson(cms, `/api/topics?filters[slug][$eq]=lunar-volatiles&${query}`)
      expect(status, query).toBe(200)
      const text = JSON.stringify(body)
      expect(text, query).not.toContain(secret.news)
      expect(text, query).not.toContain(secret.publication)
    }
    // the GER 2024 is superseded by the members-only draft, but the public must not see it
    const ger = await getJson(cms, '/api/publications?filters[slug][$eq]=global-exploration-roadmap-2024&populate[supersededBy][fields][0]=slug&populate[topics][populate][publications][fields][0]=slug')
    expect(ger.body.data[0].supersededBy).toBeNull()
    expect(JSON.stringify(ger.body)).not.toContain(secret.publication)
  })

  it('does not let filters through relations probe members-only entries', async () => {
    for (const query of [
      // topics (no visibility field) filtered by a members-only publication's fields
      `/api/topics?filters[publications][slug][$eq]=${secret.publication}`,
      '/api/topics?filters[publications][visibility][$eq]=members',
      '/api/topics?filters[newsArticles][body][$containsi]=Confidential',
      '/api/topics?filters[$or][0][newsArticles][body][$containsi]=Confidential&filters[$or][1][slug][$eq]=nope',
      // public publications filtered by their members-only successor
      `/api/publications?filters[supersededBy][slug][$eq]=${secret.publication}`,
      '/api/publications?filters[supersededBy][title][$startsWith]=GER 2028',
      // nested populate filters that reach through relations
      `/api/topics?populate[publications][filters][supersedes][supersededBy][slug][$eq]=${secret.publication}&populate[publications][fields][0]=slug`,
    ]) {
      const { status, body } = await getJson(cms, query)
      expect(status, query).toBe(200)
      const hits = (body.data as any[]).filter(entry => !Array.isArray(entry.publications) || entry.publications.length > 0)
      expect(hits, query).toEqual([])
    }
  })

  it('finds public entries through the same relation filters (the guard filters them, it does not empty them)', async () => {
    // the probes above, each aimed at public entries instead, with the exact answer expected
    const allTopics = ['advanced-technology', 'lunar-volatiles', 'science-perspectives']
    const cases: [string, string[]][] = [
      ['/api/topics?filters[publications][slug][$eq]=global-exploration-roadmap-2024', allTopics],
      [
        '/api/topics?filters[newsArticles][body][$containsi]=COSPAR',
        ['science-perspectives'],
      ],
      [
        '/api/topics?filters[$or][0][newsArticles][body][$containsi]=Lunar Surface Exploration Scenario&filters[$or][1][slug][$eq]=nope',
        ['lunar-volatiles'],
      ],
      [
        '/api/publications?filters[supersededBy][slug][$eq]=global-exploration-roadmap-2024',
        ['global-exploration-roadmap-2018'],
      ],
      [
        '/api/publications?filters[supersededBy][title][$startsWith]=The Global Exploration Roadmap (4th',
        ['global-exploration-roadmap-2018'],
      ],
    ]
    for (const [query, expected] of cases) {
      const { status, body } = await getJson(cms, `${query}&fields[0]=slug&pagination[pageSize]=100`)
      expect(status, query).toBe(200)
      expect(slugsOf(body).sort(), query).toEqual(expected)
    }
    // nested populate filter: the publications that supersede the edition GER 2018 superseded
    const nested = '/api/topics?populate[publications][filters][supersedes][supersededBy][slug][$eq]=global-exploration-roadmap-2018&populate[publications][fields][0]=slug&fields[0]=slug&sort=slug:asc'
    const { status, body } = await getJson(cms, nested)
    expect(status).toBe(200)
    expect(body.data.map((topic: { slug: string, publications: { slug: string }[] }) => [
      topic.slug,
      slugsOf({ data: topic.publications }),
    ])).toEqual(
      allTopics.map(slug => [
        slug,
        ['global-exploration-roadmap-2018'],
      ]),
    )
  })

  it('refuses negation over related entries, which would turn "public only" inside out', async () => {
    const { status } = await getJson(cms, '/api/topics?filters[$not][newsArticles][body][$containsi]=zzz&filters[newsArticles][visibility][$eq]=members')
    expect(status).toBe(400)
  })

  it('refuses to sort public results by related entries', async () => {
    const { status } = await getJson(cms, '/api/topics?sort=publications.title:asc')
    expect(status).toBe(400)
    expect((await getJson(cms, '/api/publications?sort=publicationDate:desc')).status).toBe(200)
  })

  it('shows members-only entries to a signed-in member', async () => {
    const { jwt } = await createMember(cms.strapi, { email: 'delegate@esa.example' })
    const headers = { authorization: `Bearer ${jwt}` }
    const list = await getJson(cms, '/api/news-articles?pagination[pageSize]=100', { headers })
    expect(slugsOf(list.body)).toContain(secret.news)
    const topic = await getJson(cms, '/api/topics?filters[slug][$eq]=lunar-volatiles&populate[publications][fields][0]=slug', { headers })
    expect(slugsOf({ data: topic.body.data[0].publications })).toContain(secret.publication)
  })
})

describe('agency API tokens', () => {
  it('lets a read-only API token issued by the secretariat see members-only entries, and nothing else', async () => {
    const token = await cms.strapi.service('admin::api-token').create({
      name: 'ESA content pull',
      description: 'agency feed',
      type: 'read-only',
      lifespan: null,
    })
    const headers = { authorization: `Bearer ${token.accessKey}` }
    const list = await getJson(cms, '/api/publications?pagination[pageSize]=100&fields[0]=slug', { headers })
    expect(list.status).toBe(200)
    expect(slugsOf(list.body)).toContain(secret.publication)
    const write = await fetch(`${cms.url}/api/publications`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({
        data: { title: 'x' },
      }),
    })
    expect([401, 403]).toContain(write.status)
    const forged = await getJson(cms, '/api/publications?pagination[pageSize]=100&fields[0]=slug', {
      headers: { authorization: 'Bearer not-a-real-token' },
    })
    expect(forged.status).toBe(401)
  })
})

describe('public writes and accounts', () => {
  it.each([
    ['POST', '/api/news-articles'],
    ['PUT', '/api/news-articles/anything'],
    ['DELETE', '/api/news-articles/anything'],
    ['POST', '/api/publications'],
    ['POST', '/api/member-agencies'],
    ['PUT', '/api/homepage'],
    ['DELETE', '/api/site-setting'],
    ['POST', '/api/upload'],
  ])('rejects %s %s from the public', async (method, path) => {
    const response = await fetch(`${cms.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        data: { title: 'defaced' },
      }),
    })
    expect([401, 403]).toContain(response.status)
  })

  it.each(['/api/users', '/api/upload/files', '/api/users-permissions/roles'])('does not list %s to the public', async (path) => {
    const { status } = await getJson(cms, path)
    expect([401, 403]).toContain(status)
  })

  it('keeps self-registration closed', async () => {
    const response = await fetch(`${cms.url}/api/auth/local/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'intruder', email: 'intruder@example.com', password: 'Intruder-2026' }),
    })
    expect([400, 403]).toContain(response.status)
    const created = await cms.strapi.db.query('plugin::users-permissions.user').findOne({
      where: { email: 'intruder@example.com' },
    })
    expect(created).toBeNull()
  })

  it('sets permissions idempotently and takes back writes an editor granted to the public', async () => {
    const permissions = () => cms.strapi.db.query('plugin::users-permissions.permission').count()
    const before = await permissions()
    await setPermissions(cms.strapi)
    expect(await permissions()).toBe(before)

    const role = await cms.strapi.db.query('plugin::users-permissions.role').findOne({
      where: { type: 'public' },
    })
    await cms.strapi.db.query('plugin::users-permissions.permission').create({
      data: { action: 'api::news-article.news-article.create', role: role.id },
    })
    await setPermissions(cms.strapi)
    const leftover = await cms.strapi.db.query('plugin::users-permissions.permission').findOne({
      where: { action: 'api::news-article.news-article.create', role: role.id },
    })
    expect(leftover).toBeNull()
    expect(await permissions()).toBe(before)
  })
})

describe('seed', () => {
  it('creates nothing when run again', async () => {
    const count = (uid: string) => cms.strapi.db.query(uid as any).count()
    const uids = [
      'api::member-agency.member-agency',
      'api::publication.publication',
      'api::news-article.news-article',
      'api::faq.faq',
      'api::topic.topic',
      'api::homepage.homepage',
      'plugin::upload.file',
    ]
    const before = await Promise.all(uids.map(count))
    const report = await seed(cms.strapi)
    expect(report.created).toEqual({})
    expect(await Promise.all(uids.map(count))).toEqual(before)
  })
})

describe('query hygiene', () => {
  it('caps page sizes at 100 and defaults to 25', async () => {
    const capped = await getJson(cms, '/api/member-agencies?pagination[pageSize]=100000')
    expect(capped.status).toBe(200)
    expect(capped.body.meta.pagination.pageSize).toBe(100)
    const defaulted = await getJson(cms, '/api/member-agencies')
    expect(defaulted.body.meta.pagination.pageSize).toBe(25)
    expect(defaulted.body.data).toHaveLength(Math.min(25, agencies.length))
  })

  it.each([
    'filters[nope][$eq]=1',
    'filters[$foo]=1',
    'filters[title][$bogus]=1',
    'sort=nope:asc',
    'populate[nope]=true',
    'fields[0]=nope',
    'pagination[page]=abc',
    'filters[visibility][$in]=members&filters[createdBy][password][$startsWith]=a',
  ])('answers 400 (never 500) to a bad query: %s', async (query) => {
    const { status, body } = await getJson(cms, `/api/news-articles?${query}`)
    expect(status, JSON.stringify(body)).toBe(400)
    expect(body.error.message).toBeTruthy()
  })

  it('clamps a page size below 1 instead of failing', async () => {
    const { status, body } = await getJson(cms, '/api/news-articles?pagination[pageSize]=-5')
    expect(status).toBe(200)
    expect(body.meta.pagination.pageSize).toBe(1)
  })

  it('answers malformed filters without a server error', async () => {
    for (const query of [
      'filters=abc',
      'filters[title]=',
      'populate=',
      'sort=',
      'filters[title][$eq][0][1]=x',
    ]) {
      const { status } = await getJson(cms, `/api/news-articles?${query}`)
      expect(status, query).toBeLessThan(500)
    }
  })
})

describe('admin edit forms', () => {
  it('labels fields for editors and explains visibility', async () => {
    const contentTypes = cms.strapi.plugin('content-manager').service('content-types')
    const configuration = await contentTypes.findConfiguration(cms.strapi.contentType('api::publication.publication'))
    expect(configuration.metadatas.publicationDate.edit.label).toBe('Publication date')
    expect(configuration.metadatas.visibility.edit.description).toMatch(/never shown/)
  })

  it('shows title, kind, date, visibility and the schedule in the list views, newest first, and sets them idempotently', async () => {
    const { setListViews } = require(join(distDir, 'src/bootstrap/list-views.js'))
    const contentTypes = cms.strapi.plugin('content-manager').service('content-types')
    const publication = await contentTypes.findConfiguration(cms.strapi.contentType('api::publication.publication'))
    expect(publication.layouts.list).toEqual([
      'title',
      'kind',
      'publicationDate',
      'visibility',
      'publishAt',
      'unpublishAt',
    ])
    expect(publication.settings).toMatchObject({ defaultSortBy: 'publicationDate', defaultSortOrder: 'DESC', mainField: 'title' })
    const news = await contentTypes.findConfiguration(cms.strapi.contentType('api::news-article.news-article'))
    expect(news.layouts.list).toEqual([
      'title',
      'date',
      'visibility',
      'publishAt',
      'unpublishAt',
    ])
    expect(news.settings).toMatchObject({ defaultSortBy: 'date', defaultSortOrder: 'DESC' })
    const stored = () => cms.strapi.db.query('strapi::core-store').findMany({
      where: {
        key: { $startsWith: 'plugin_content_manager_configuration_content_types::api::' },
      },
    })
    const before = JSON.stringify(await stored())
    await setListViews(cms.strapi)
    expect(JSON.stringify(await stored())).toBe(before)
  })
})

describe('drafts outside the admin', () => {
  const draftQuery = '/api/news-articles?filters[slug][$eq]=unpublished-draft&status=draft'

  it('gives agency API tokens and signed-in members published content only, even when they ask for drafts', async () => {
    const token = await cms.strapi.service('admin::api-token').create({
      name: 'Draft probe',
      description: 'agency',
      type: 'read-only',
      lifespan: null,
    })
    const { jwt } = await createMember(cms.strapi, { email: 'draft-probe@esa.example' })
    for (const credential of [token.accessKey, jwt]) {
      const { status, body } = await getJson(cms, draftQuery, {
        headers: { authorization: `Bearer ${credential}` },
      })
      expect(status).toBe(200)
      expect(body.data).toEqual([])
    }
  })

  it('gives drafts to the preview credential (X-Preview-Token = PREVIEW_TOKEN) and to no one else', async () => {
    const previewToken = 'p'.repeat(40)
    const previous = process.env.PREVIEW_TOKEN
    try {
      process.env.PREVIEW_TOKEN = previewToken
      const preview = await getJson(cms, draftQuery, {
        headers: { 'x-preview-token': previewToken },
      })
      expect(preview.body.data.map((entry: { slug: string }) => entry.slug)).toEqual(['unpublished-draft'])
      const membersOnly = await getJson(cms, `/api/news-articles?filters[slug][$eq]=${secret.news}`, {
        headers: { 'x-preview-token': previewToken },
      })
      expect(membersOnly.body.data).toHaveLength(1)
      const wrong = await getJson(cms, draftQuery, {
        headers: { 'x-preview-token': `${previewToken}x` },
      })
      expect(wrong.body.data).toEqual([])
      // a short secret disables preview instead of weakening it
      process.env.PREVIEW_TOKEN = 'short'
      const short = await getJson(cms, draftQuery, {
        headers: { 'x-preview-token': 'short' },
      })
      expect(short.body.data).toEqual([])
    }
    finally {
      if (previous === undefined)
        delete process.env.PREVIEW_TOKEN
      else process.env.PREVIEW_TOKEN = previous
    }
  })
})
