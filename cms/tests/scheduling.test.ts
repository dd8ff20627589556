import type { Core } from '@strapi/strapi'
import type { CmsInstance } from './harness'
import type { AdminSession } from './support/admin'
/**
 * Scheduled publishing and the Author and Editor roles (README "Editors", docs/scheduling.md): a
 * real CMS, editors and authors signed in through /admin/login working in the Content Manager's
 * HTTP API. The scheduler's clock is moved forward instead of waiting; its ticks are real (every
 * 100 ms here). On PostgreSQL (TEST_POSTGRES_URL), two runs and two instances share one database.
 */
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { cmsDir, distDir, getJson, startCms } from './harness'
import { signInAsAdmin } from './support/admin'
import { testDatabase, testPostgresUrl } from './support/postgres'
import { until } from './support/wait'

const require = createRequire(import.meta.url)
const { schedulerOf } = require(join(distDir, 'src/scheduling/index.js'))
const { setAdminRoles } = require(join(distDir, 'src/bootstrap/admin-roles.js'))

const NEWS = 'api::news-article.news-article'
const PUBLICATION = 'api::publication.publication'
const MAILING = 'api::news-mailing.news-mailing'
const TOPIC = 'api::topic.topic'
const MINUTE = 60_000
const CM = (uid: string) => `/content-manager/collection-types/${uid}`

interface Scheduler {
  clock: () => Date
  stats: { published: number, unpublished: number, cleared: number, failed: number }
  runDue: (now: Date) => Promise<Array<{ documentId: string, action: string }>>
  start: (firstTickMs?: number) => void
}

interface Row { id: number, documentId: string, publishedAt: string | null, publishAt: string | null, unpublishAt: string | null }

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))
const inMs = (ms: number) => new Date(Date.now() + ms).toISOString()

/** The draft row and the published rows of a document, read from the database. */
async function versions(strapi: Core.Strapi, uid: string, documentId: string) {
  const rows = await strapi.db.query(uid as never).findMany({
    where: { documentId },
    select: [
      'id',
      'documentId',
      'publishedAt',
      'publishAt',
      'unpublishAt',
    ],
    orderBy: { id: 'asc' },
  }) as Row[]
  return {
    draft: rows.find(row => !row.publishedAt),
    published: rows.filter(row => row.publishedAt),
  }
}

let count = 0
const uniqueSlug = (prefix: string) => `${prefix}-${++count}-${randomBytes(3).toString('hex')}`

function newsData(fields: Record<string, unknown> = {}) {
  const slug = uniqueSlug('scheduled')
  return {
    title: `Scheduled article ${slug}`,
    slug,
    date: '2026-05-04',
    summary: 'Before.',
    visibility: 'public',
    ...fields,
  }
}

/** A draft created through the Document Service (as code would), bypassing the admin. */
async function draft(strapi: Core.Strapi, fields: Record<string, unknown> = {}) {
  return strapi.documents(NEWS).create({
    data: newsData(fields),
  } as never) as unknown as Promise<{ documentId: string, slug: string }>
}

describe('scheduled publishing on SQLite', () => {
  let cms: CmsInstance
  let strapi: Core.Strapi
  let scheduler: Scheduler
  let editor: AdminSession
  let author: AdminSession
  let offset = 0

  beforeAll(async () => {
    cms = await startCms({
      seed: false,
      env: {
        SCHEDULER: 'true',
        SCHEDULER_INTERVAL_MS: '100',
      },
    })
    strapi = cms.strapi
    scheduler = schedulerOf(strapi)
    scheduler.clock = () => new Date(Date.now() + offset)
    editor = await signInAsAdmin(cms, 'editor@isecg.test', 'strapi-editor')
    author = await signInAsAdmin(cms, 'author@isecg.test', 'strapi-author')
  })

  afterEach(() => {
    offset = 0
  })

  afterAll(async () => {
    await cms?.stop()
  })

  it('publishes an entry scheduled one minute ahead, through the Document Service, once, within a tick of its time', async () => {
    const created = await editor.request('POST', CM(NEWS), newsData({
      publishAt: inMs(MINUTE),
    }))
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    const { documentId, slug } = created.body.data
    const publicList = `/api/news-articles?filters[slug][$eq]=${slug}&fields[0]=slug`
    // anonymous read before: nothing (and the CMS response cache now holds that answer)
    expect((await getJson(cms, publicList)).body.data).toEqual([])
    await sleep(500)
    expect((await versions(strapi, NEWS, documentId)).published).toHaveLength(0)
    // the list view shows what is scheduled
    const list = await editor.request('GET', `${CM(NEWS)}?page=1&pageSize=100`)
    expect(list.status).toBe(200)
    const listed = list.body.results.find((entry: { documentId: string }) => entry.documentId === documentId)
    expect(Date.parse(listed.publishAt)).toBe(Date.parse(created.body.data.publishAt))
    expect(listed.status).toBe('draft')

    const before = scheduler.stats.published
    offset = MINUTE + 1000
    const movedAt = Date.now()
    await until('the scheduled publication', async () => (await versions(strapi, NEWS, documentId)).published.length > 0)
    // due as soon as the clock moved: done at the next tick (every 100 ms here, 20 s by default)
    expect(Date.now() - movedAt).toBeLessThan(5000)
    const after = await versions(strapi, NEWS, documentId)
    expect(after.published).toHaveLength(1)
    expect(after.draft!.publishAt).toBeNull()
    expect(after.published[0]!.publishAt).toBeNull()
    // Document Service middlewares ran: the response cache was emptied, the news mailing was created
    expect((await getJson(cms, publicList)).body.data).toEqual([
      {
        id: expect.any(Number),
        documentId,
        slug,
      },
    ])
    expect(await strapi.db.query(MAILING).findOne({
      where: { articleDocumentId: documentId },
    })).toMatchObject({ title: created.body.data.title })
    const shown = await editor.request('GET', `${CM(NEWS)}/${documentId}`)
    expect(shown.body.data.status).toBe('published')
    // done, not repeated
    await sleep(600)
    expect(scheduler.stats.published).toBe(before + 1)
    const later = await versions(strapi, NEWS, documentId)
    expect(later.published.map(row => row.id)).toEqual(after.published.map(row => row.id))
  })

  it('unpublishes at unpublishAt and keeps the draft', async () => {
    const created = await editor.request('POST', CM(NEWS), newsData({
      unpublishAt: inMs(2 * MINUTE),
    }))
    const { documentId, slug } = created.body.data
    expect((await editor.request('POST', `${CM(NEWS)}/${documentId}/actions/publish`, {})).status).toBe(200)
    expect((await getJson(cms, `/api/news-articles/${documentId}`)).status).toBe(200)
    await sleep(300)
    expect((await versions(strapi, NEWS, documentId)).published).toHaveLength(1)

    const before = scheduler.stats.unpublished
    offset = 2 * MINUTE + 1000
    await until('the scheduled unpublication', async () => (await versions(strapi, NEWS, documentId)).published.length === 0)
    const after = await versions(strapi, NEWS, documentId)
    expect(after.draft).toMatchObject({ unpublishAt: null, publishAt: null })
    expect(scheduler.stats.unpublished).toBe(before + 1)
    expect((await getJson(cms, `/api/news-articles/${documentId}`)).status).toBe(404)
    expect((await getJson(cms, `/api/news-articles?filters[slug][$eq]=${slug}`)).body.data).toEqual([])
    const shown = await editor.request('GET', `${CM(NEWS)}/${documentId}`)
    expect(shown.body.data.status).toBe('draft')
  })

  it('after an outage past both times, does not publish a window that is over', async () => {
    const { documentId } = await draft(strapi, {
      publishAt: inMs(MINUTE),
      unpublishAt: inMs(2 * MINUTE),
    })
    const before = { ...scheduler.stats }
    offset = 3 * MINUTE
    await until('the schedule to be cleared', async () => {
      const { draft } = await versions(strapi, NEWS, documentId)
      return draft!.publishAt === null && draft!.unpublishAt === null
    })
    expect((await versions(strapi, NEWS, documentId)).published).toHaveLength(0)
    expect(scheduler.stats).toMatchObject({ published: before.published, cleared: before.cleared + 1 })
    expect(await strapi.db.query(MAILING).findOne({
      where: { articleDocumentId: documentId },
    })).toBeNull()
  })

  it('refuses a past publish time and an unpublish time before the publish time (400), and writes nothing', async () => {
    const publishAt = inMs(60 * MINUTE)
    const created = await editor.request('POST', CM(NEWS), newsData({ publishAt }))
    const { documentId, title } = created.body.data
    const stored = async () => (await versions(strapi, NEWS, documentId)).draft!

    const past = await editor.request('PUT', `${CM(NEWS)}/${documentId}`, {
      summary: 'Changed.',
      publishAt: inMs(-60 * MINUTE),
    })
    expect(past.status).toBe(400)
    expect(past.body.error).toMatchObject({
      name: 'ValidationError',
      message: expect.stringMatching(/Publish at is in the past/),
    })
    expect(past.body.error.details.errors).toEqual([
      expect.objectContaining({
        path: ['publishAt'],
      }),
    ])

    for (const unpublishAt of [
      inMs(59 * MINUTE),
      publishAt,
    ]) {
      const reversed = await editor.request('PUT', `${CM(NEWS)}/${documentId}`, { summary: 'Changed.', unpublishAt })
      expect(reversed.status).toBe(400)
      expect(reversed.body.error).toMatchObject({ name: 'ValidationError', message: 'Unpublish at must be later than Publish at.' })
      expect(reversed.body.error.details.errors).toEqual([
        expect.objectContaining({
          path: ['unpublishAt'],
        }),
      ])
    }
    const pastUnpublish = await editor.request('PUT', `${CM(NEWS)}/${documentId}`, {
      unpublishAt: inMs(-MINUTE * 5),
    })
    expect(pastUnpublish.status).toBe(400)
    expect(pastUnpublish.body.error.details.errors).toEqual([
      expect.objectContaining({
        path: ['unpublishAt'],
      }),
    ])

    // nothing of the refused saves was written
    const kept = await editor.request('GET', `${CM(NEWS)}/${documentId}`)
    expect(kept.body.data).toMatchObject({ title, summary: 'Before.', unpublishAt: null })
    expect(Date.parse(kept.body.data.publishAt)).toBe(Date.parse(publishAt))
    // a new entry with a past time is not created at all
    const refused = await editor.request('POST', CM(NEWS), newsData({
      title: 'Refused schedule',
      publishAt: inMs(-MINUTE * 5),
    }))
    expect(refused.status).toBe(400)
    expect(await strapi.db.query(NEWS).count({
      where: { title: 'Refused schedule' },
    })).toBe(0)
    // the same rules for publications
    const publication = await editor.request('POST', CM(PUBLICATION), {
      title: 'Scheduled publication',
      slug: uniqueSlug('scheduled-publication'),
      kind: 'report',
      publicationDate: '2026-05-04',
      visibility: 'public',
      publishAt: inMs(2 * MINUTE),
      unpublishAt: inMs(MINUTE),
    })
    expect(publication.status).toBe(400)
    expect(publication.body.error.details.errors).toEqual([
      expect.objectContaining({
        path: ['unpublishAt'],
      }),
    ])

    // a valid change goes through
    const fine = await editor.request('PUT', `${CM(NEWS)}/${documentId}`, {
      summary: 'Changed.',
      unpublishAt: inMs(61 * MINUTE),
    })
    expect(fine.status).toBe(200)
    expect((await stored()).unpublishAt).not.toBeNull()
  })

  it('accepts saving an entry whose publish time has come but is not yet carried out (the time unchanged)', async () => {
    offset = -60 * MINUTE // the scheduler waits for this test
    const created = await editor.request('POST', CM(NEWS), newsData({
      publishAt: inMs(MINUTE),
    }))
    const { documentId } = created.body.data
    const due = new Date(Date.now() - 5 * MINUTE)
    await strapi.db.query(NEWS).updateMany({
      where: { documentId },
      data: { publishAt: due },
    })
    // the admin sends the whole form back, the due time unchanged
    const shown = await editor.request('GET', `${CM(NEWS)}/${documentId}`)
    expect(Date.parse(shown.body.data.publishAt)).toBe(due.getTime())
    const saved = await editor.request('PUT', `${CM(NEWS)}/${documentId}`, { publishAt: shown.body.data.publishAt, unpublishAt: null, summary: 'Edited while due.' })
    expect(saved.status, JSON.stringify(saved.body)).toBe(200)
    offset = 0
    await until('the due publication', async () => (await versions(strapi, NEWS, documentId)).published.length > 0)
    const published = await strapi.documents(NEWS).findOne({ documentId, status: 'published' } as never) as unknown as { summary: string }
    expect(published.summary).toBe('Edited while due.')
  })

  it('clears publishAt when an editor publishes by hand, and keeps unpublishAt', async () => {
    const created = await editor.request('POST', CM(NEWS), newsData({
      publishAt: inMs(30 * MINUTE),
      unpublishAt: inMs(60 * MINUTE),
    }))
    const { documentId } = created.body.data
    expect((await editor.request('POST', `${CM(NEWS)}/${documentId}/actions/publish`, {})).status).toBe(200)
    const after = await versions(strapi, NEWS, documentId)
    expect(after.draft!.publishAt).toBeNull()
    expect(after.published[0]!.publishAt).toBeNull()
    expect(after.draft!.unpublishAt).not.toBeNull()
    const shown = await editor.request('GET', `${CM(NEWS)}/${documentId}`)
    expect(shown.body.data.status).toBe('published')
  })

  it('gives a copy of a scheduled entry no schedule, unless it is given one', async () => {
    const source = await draft(strapi, {
      publishAt: inMs(30 * MINUTE),
      unpublishAt: inMs(60 * MINUTE),
    })
    const copy = await strapi.documents(NEWS).clone({
      documentId: source.documentId,
      data: {
        slug: uniqueSlug('copy'),
      },
    } as never) as unknown as { documentId: string }
    expect((await versions(strapi, NEWS, copy.documentId)).draft).toMatchObject({ publishAt: null, unpublishAt: null })
    const scheduledCopy = await strapi.documents(NEWS).clone({
      documentId: source.documentId,
      data: {
        slug: uniqueSlug('copy'),
        unpublishAt: inMs(90 * MINUTE),
      },
    } as never) as unknown as { documentId: string }
    expect((await versions(strapi, NEWS, scheduledCopy.documentId)).draft!.unpublishAt).not.toBeNull()
    await expect(strapi.documents(NEWS).clone({
      documentId: source.documentId,
      data: {
        slug: uniqueSlug('copy'),
        publishAt: inMs(-5 * MINUTE),
      },
    } as never)).rejects.toThrow(/Publish at is in the past/)
  })

  it('keeps a failed scheduled publication due, and carries it out once it can', async () => {
    const { documentId } = await draft(strapi, {
      publishAt: inMs(MINUTE),
    })
    let failing = true
    let attempts = 0
    const remove = strapi.documents.use(async (context, next) => {
      const params = context.params as { documentId?: string }
      if (context.action === 'publish' && params.documentId === documentId) {
        attempts += 1
        if (failing)
          throw new Error('simulated failure while publishing')
      }
      return next()
    }) as unknown as () => void
    try {
      const failedBefore = scheduler.stats.failed
      offset = MINUTE + 1000
      await until('a failed attempt', async () => scheduler.stats.failed > failedBefore)
      // rolled back: still a draft, still due
      const after = await versions(strapi, NEWS, documentId)
      expect(after.published).toHaveLength(0)
      expect(after.draft!.publishAt).not.toBeNull()
      failing = false
      await until('the retried publication', async () => (await versions(strapi, NEWS, documentId)).published.length > 0)
      const done = await versions(strapi, NEWS, documentId)
      expect(done.published).toHaveLength(1)
      expect(done.draft!.publishAt).toBeNull()
      expect(attempts).toBeGreaterThanOrEqual(2)
    }
    finally {
      remove()
    }
  })

  it('never shows the schedule in the Content API and refuses it in queries', async () => {
    const topic = await strapi.documents(TOPIC).create({
      data: {
        title: 'Scheduling topic',
        slug: uniqueSlug('scheduling-topic'),
      },
      status: 'published',
    } as never) as unknown as { documentId: string, slug: string }
    const created = await editor.request('POST', CM(NEWS), newsData({
      unpublishAt: inMs(60 * MINUTE),
      topics: {
        connect: [topic.documentId],
      },
    }))
    const { documentId } = created.body.data
    expect((await editor.request('POST', `${CM(NEWS)}/${documentId}/actions/publish`, {})).status).toBe(200)
    const token = await strapi.service('admin::api-token').create({
      name: `Schedule probe ${randomBytes(3).toString('hex')}`,
      description: 'agency',
      type: 'read-only',
      lifespan: null,
    })
    for (const headers of [
      undefined,
      { authorization: `Bearer ${token.accessKey}` },
    ]) {
      const detail = await getJson(cms, `/api/news-articles/${documentId}`, { headers })
      expect(detail.status).toBe(200)
      expect(Object.keys(detail.body.data)).not.toContain('unpublishAt')
      const populated = await getJson(cms, `/api/topics?filters[slug][$eq]=${topic.slug}&populate[newsArticles]=true`, { headers })
      expect(populated.status).toBe(200)
      expect(populated.body.data[0].newsArticles.map((entry: { documentId: string }) => entry.documentId)).toContain(documentId)
      for (const text of [
        JSON.stringify(detail.body),
        JSON.stringify(populated.body),
      ]) {
        expect(text).not.toMatch(/publishAt|unpublishAt/)
      }
      for (const query of [
        'filters[unpublishAt][$notNull]=true',
        'filters[publishAt][$null]=true',
        'filters[$or][0][unpublishAt][$gt]=2000-01-01&filters[$or][1][id][$eq]=0',
        'sort=unpublishAt:asc',
        'fields[0]=publishAt',
      ]) {
        const answer = await getJson(cms, `/api/news-articles?${query}`, { headers })
        expect(answer.status, query).toBe(400)
      }
      const throughTopics = await getJson(cms, '/api/topics?filters[newsArticles][unpublishAt][$notNull]=true', { headers })
      expect(throughTopics.status).toBe(400)
    }
  })

  describe('roles', () => {
    it('lets an Author create and edit drafts, without the schedule', async () => {
      const created = await author.request('POST', CM(NEWS), newsData({
        title: 'An author draft',
        publishAt: inMs(10 * MINUTE),
      }))
      expect(created.status, JSON.stringify(created.body)).toBe(201)
      const { documentId } = created.body.data
      expect((await versions(strapi, NEWS, documentId)).draft!.publishAt).toBeNull()
      const edited = await author.request('PUT', `${CM(NEWS)}/${documentId}`, {
        summary: 'By the author.',
        publishAt: inMs(10 * MINUTE),
        unpublishAt: inMs(20 * MINUTE),
      })
      expect(edited.status).toBe(200)
      const { draft } = await versions(strapi, NEWS, documentId)
      expect(draft).toMatchObject({ publishAt: null, unpublishAt: null })
      expect((await author.request('GET', `${CM(NEWS)}/${documentId}`)).body.data.summary).toBe('By the author.')
      // the Author's permissions: no schedule fields to write, but to read
      const role = await strapi.db.query('admin::role').findOne({
        where: { code: 'strapi-author' },
      })
      const permissions = await strapi.db.query('admin::permission').findMany({
        where: { role: role.id, subject: NEWS },
      }) as Array<{ action: string, properties: { fields?: string[] } }>
      const fieldsOf = (action: string) => permissions.find(permission => permission.action === `plugin::content-manager.explorer.${action}`)?.properties.fields
      expect(fieldsOf('read')).toEqual(expect.arrayContaining(['title', 'publishAt', 'unpublishAt']))
      for (const action of ['create', 'update']) {
        expect(fieldsOf(action)).toContain('title')
        expect(fieldsOf(action)).not.toContain('publishAt')
        expect(fieldsOf(action)).not.toContain('unpublishAt')
      }
      expect(permissions.map(permission => permission.action).sort()).toEqual([
        'plugin::content-manager.explorer.create',
        'plugin::content-manager.explorer.read',
        'plugin::content-manager.explorer.update',
      ])
    })

    it('does not let an Author publish, unpublish, delete or edit an entry of someone else', async () => {
      const own = (await author.request('POST', CM(NEWS), newsData({ title: 'Author wants to publish' }))).body.data
      expect((await author.request('POST', `${CM(NEWS)}/${own.documentId}/actions/publish`, {})).status).toBe(403)
      expect((await author.request('POST', `${CM(NEWS)}/actions/bulkPublish`, {
        documentIds: [own.documentId],
      })).status).toBe(403)
      expect((await author.request('DELETE', `${CM(NEWS)}/${own.documentId}`)).status).toBe(403)
      expect((await versions(strapi, NEWS, own.documentId)).published).toHaveLength(0)

      const theirs = (await editor.request('POST', CM(NEWS), newsData({
        title: 'Edited by the editor',
        publishAt: inMs(30 * MINUTE),
      }))).body.data
      expect((await editor.request('POST', `${CM(NEWS)}/${theirs.documentId}/actions/publish`, {})).status).toBe(200)
      expect((await author.request('PUT', `${CM(NEWS)}/${theirs.documentId}`, { summary: 'Author edit.' })).status).toBe(403)
      expect((await author.request('POST', `${CM(NEWS)}/${theirs.documentId}/actions/unpublish`, {})).status).toBe(403)
      expect((await versions(strapi, NEWS, theirs.documentId)).published).toHaveLength(1)
      // no other content type
      expect((await author.request('POST', CM(TOPIC), {
        title: 'Author topic',
        slug: uniqueSlug('author-topic'),
      })).status).toBe(403)
      expect((await author.request('GET', `${CM('api::faq.faq')}?page=1&pageSize=10`)).status).toBe(403)
    })

    it('lets an Editor schedule and publish', async () => {
      const own = (await author.request('POST', CM(PUBLICATION), {
        title: 'An author publication',
        slug: uniqueSlug('author-publication'),
        kind: 'report',
        publicationDate: '2026-05-04',
        visibility: 'public',
      })).body.data
      const publishAt = inMs(45 * MINUTE)
      const scheduled = await editor.request('PUT', `${CM(PUBLICATION)}/${own.documentId}`, {
        publishAt,
        unpublishAt: inMs(90 * MINUTE),
      })
      expect(scheduled.status).toBe(200)
      const { draft } = await versions(strapi, PUBLICATION, own.documentId)
      expect(Date.parse(String(draft!.publishAt))).toBe(Date.parse(publishAt))
      expect(draft!.unpublishAt).not.toBeNull()
      // the Author sees the schedule but keeps it as it is when saving
      expect((await author.request('PUT', `${CM(PUBLICATION)}/${own.documentId}`, { abstract: 'Author edit.', publishAt: null })).status).toBe(200)
      expect(Date.parse(String((await versions(strapi, PUBLICATION, own.documentId)).draft!.publishAt))).toBe(Date.parse(publishAt))
      expect((await editor.request('POST', `${CM(PUBLICATION)}/${own.documentId}/actions/publish`, {})).status).toBe(200)
      expect((await versions(strapi, PUBLICATION, own.documentId)).published).toHaveLength(1)
    })

    it('sets both roles on every start, idempotently, and takes back a publish permission given to Authors', async () => {
      const snapshot = async () => JSON.stringify({
        roles: await strapi.db.query('admin::role').findMany({
          orderBy: { id: 'asc' },
        }),
        permissions: await strapi.db.query('admin::permission').findMany({
          orderBy: { id: 'asc' },
          populate: ['role'],
        }),
      })
      const before = await snapshot()
      await setAdminRoles(strapi)
      expect(await snapshot()).toBe(before)

      const authorRole = await strapi.db.query('admin::role').findOne({
        where: { code: 'strapi-author' },
      })
      const editorRole = await strapi.db.query('admin::role').findOne({
        where: { code: 'strapi-editor' },
      })
      await strapi.service('admin::role').addPermissions(authorRole.id, [
        {
          action: 'plugin::content-manager.explorer.publish',
          subject: NEWS,
          properties: {},
          conditions: [],
        },
      ])
      const update = await strapi.db.query('admin::permission').findOne({
        where: { role: editorRole.id, subject: NEWS, action: 'plugin::content-manager.explorer.update' },
      })
      await strapi.db.query('admin::permission').update({
        where: { id: update.id },
        data: {
          properties: {
            fields: update.properties.fields.filter((field: string) => field !== 'publishAt'),
          },
        },
      })
      await setAdminRoles(strapi)
      expect(await strapi.db.query('admin::permission').count({
        where: { role: authorRole.id, action: 'plugin::content-manager.explorer.publish' },
      })).toBe(0)
      const restored = await strapi.db.query('admin::permission').findOne({
        where: { id: update.id },
      })
      expect(restored.properties.fields).toEqual(expect.arrayContaining(['publishAt', 'unpublishAt']))
      const again = await snapshot()
      await setAdminRoles(strapi)
      expect(await snapshot()).toBe(again)
    })
  })

  it('shows Publish at and Unpublish at in the list views, labelled and explained for editors', async () => {
    const contentTypes = strapi.plugin('content-manager').service('content-types')
    for (const uid of [NEWS, PUBLICATION]) {
      const configuration = await contentTypes.findConfiguration(strapi.contentType(uid as never))
      expect(configuration.layouts.list).toEqual(expect.arrayContaining(['publishAt', 'unpublishAt']))
      expect(configuration.layouts.edit.at(-1)).toEqual([
        { name: 'publishAt', size: 6 },
        { name: 'unpublishAt', size: 6 },
      ])
      expect(configuration.layouts.edit.flat().filter((field: { name: string }) => field.name.endsWith('ublishAt'))).toHaveLength(2)
      expect(configuration.metadatas.publishAt.edit).toMatchObject({
        label: 'Publish at',
        description: expect.stringMatching(/Publishes this draft/),
      })
      expect(configuration.metadatas.unpublishAt.list.label).toBe('Unpublish at')
      expect(configuration.metadatas.unpublishAt.edit.description).toMatch(/later than Publish at/)
    }
  })
})

describe('scheduled publishing across restarts', () => {
  it('neither loses nor repeats a due action when the CMS restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'isecg-schedule-'))
    const databaseFile = join(dir, 'data.db')
    const env = { SCHEDULER_INTERVAL_MS: '100' }
    try {
      // due while no CMS runs
      let cms = await startCms({
        databaseFile,
        seed: false,
        env: { ...env, SCHEDULER: 'false' },
      })
      const { documentId } = await draft(cms.strapi, {
        publishAt: inMs(1500),
      })
      await cms.stop()
      await sleep(1600)
      cms = await startCms({
        databaseFile,
        seed: false,
        env: { ...env, SCHEDULER: 'true' },
      })
      let publishedIds: number[]
      try {
        await until('the publication after the restart', async () => (await versions(cms.strapi, NEWS, documentId)).published.length > 0)
        expect(schedulerOf(cms.strapi).stats.published).toBe(1)
        publishedIds = (await versions(cms.strapi, NEWS, documentId)).published.map(row => row.id)
      }
      finally {
        await cms.stop()
      }
      cms = await startCms({
        databaseFile,
        seed: false,
        env: { ...env, SCHEDULER: 'true' },
      })
      try {
        await sleep(800)
        expect(schedulerOf(cms.strapi).stats).toMatchObject({ published: 0, failed: 0 })
        const after = await versions(cms.strapi, NEWS, documentId)
        expect(after.published.map(row => row.id)).toEqual(publishedIds)
        expect(after.draft!.publishAt).toBeNull()
      }
      finally {
        await cms.stop()
      }
    }
    finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe.skipIf(!testPostgresUrl)('scheduled publishing with two runs and two instances on PostgreSQL', () => {
  const database = testDatabase('isecg_schedule')
  let cms: CmsInstance
  let strapi: Core.Strapi
  let scheduler: Scheduler
  /** successful Document Service publishes in this process, per documentId */
  const publishes = new Map<string, number>()

  beforeAll(async () => {
    await database.create()
    cms = await startCms({
      postgresUrl: database.url,
      seed: false,
      env: {
        // this instance's ticks are run by hand (or started in a test)
        SCHEDULER: 'false',
        SCHEDULER_INTERVAL_MS: '50',
        SCHEDULER_CLAIM_TIMEOUT_MS: '1500',
      },
    })
    strapi = cms.strapi
    scheduler = schedulerOf(strapi)
    strapi.documents.use(async (context, next) => {
      const result = await next()
      const documentId = (context.params as { documentId?: string }).documentId
      if (context.action === 'publish' && documentId)
        publishes.set(documentId, (publishes.get(documentId) ?? 0) + 1)
      return result
    })
  })

  afterAll(async () => {
    await cms?.stop()
    await database.drop()
  })

  it('publishes each due entry once when two scheduler runs go at once', async () => {
    const drafts = await Promise.all(Array.from({ length: 8 }, () => draft(strapi, {
      publishAt: inMs(MINUTE),
    })))
    const now = new Date(Date.now() + MINUTE + 1000)
    const [first, second] = await Promise.all([
      scheduler.runDue(now),
      scheduler.runDue(now),
    ])
    const done = [
      ...first!,
      ...second!,
    ]
    expect(done.map(item => item.documentId).sort()).toEqual(drafts.map(item => item.documentId).sort())
    for (const { documentId } of drafts) {
      const { draft, published } = await versions(strapi, NEWS, documentId)
      expect(published, documentId).toHaveLength(1)
      expect(draft!.publishAt).toBeNull()
      expect(publishes.get(documentId), documentId).toBe(1)
    }
  })

  it('skips an entry another claimer holds, without waiting, and publishes it once that claimer dies', async () => {
    const { documentId } = await draft(strapi, {
      publishAt: inMs(MINUTE),
    })
    const { Client } = require('pg')
    const claimer = new Client({
      connectionString: database.url,
    })
    await claimer.connect()
    claimer.on('error', () => {})
    await claimer.query('begin')
    await claimer.query('select id from news_articles where document_id = $1 and published_at is null for update', [documentId])
    const now = new Date(Date.now() + MINUTE + 1000)
    const started = Date.now()
    expect(await scheduler.runDue(now)).toEqual([])
    expect(Date.now() - started).toBeLessThan(1000)
    expect((await versions(strapi, NEWS, documentId)).published).toHaveLength(0)
    // the claimer's process dies: its connection goes, and its claim with it
    claimer.connection.stream.destroy()
    await until('the claim to go', async () => {
      const done = await scheduler.runDue(now)
      return done.some(item => item.documentId === documentId)
    })
    expect((await versions(strapi, NEWS, documentId)).published).toHaveLength(1)
    expect(publishes.get(documentId)).toBe(1)
  })

  it('takes over from a claimer that hangs once its claim times out (SCHEDULER_CLAIM_TIMEOUT_MS)', async () => {
    const { documentId } = await draft(strapi, {
      publishAt: inMs(MINUTE),
    })
    let release: () => void = () => {}
    const hanging = new Promise<void>((resolve) => {
      release = resolve
    })
    let hung = false
    const remove = strapi.documents.use(async (context, next) => {
      if (context.action === 'publish' && (context.params as { documentId?: string }).documentId === documentId && !hung) {
        hung = true
        await hanging
      }
      return next()
    }) as unknown as () => void
    try {
      const now = new Date(Date.now() + MINUTE + 1000)
      const stuck = scheduler.runDue(now)
      await until('the first run to hang', async () => hung)
      // another run skips it while the claim holds, and takes it once PostgreSQL ends the idle claim
      const done = await until('the take-over', async () => (await scheduler.runDue(now)).some(item => item.documentId === documentId), 10_000)
      expect(done).toBe(true)
      release()
      expect(await stuck).toEqual([])
      expect((await versions(strapi, NEWS, documentId)).published).toHaveLength(1)
      expect(publishes.get(documentId)).toBe(1)
    }
    finally {
      release()
      remove()
    }
  })

  it('publishes each due entry once with two instances ticking on one database', async () => {
    const child = spawn(process.execPath, [
      join(cmsDir, 'scripts/instance.cjs'),
    ], {
      cwd: cmsDir,
      env: { ...process.env, SCHEDULER: 'true', SCHEDULER_INTERVAL_MS: '50' },
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    })
    const ask = (cmd: string) => new Promise<any>((resolve, reject) => {
      const id = randomBytes(4).toString('hex')
      const answer = (message: { id?: string, result?: unknown, error?: string }) => {
        if (message.id !== id)
          return
        child.off('message', answer)
        if (message.error)
          reject(new Error(message.error))
        else resolve(message.result)
      }
      child.on('message', answer)
      child.send({ id, cmd })
    })
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('ready'))
            resolve()
        })
        child.on('exit', code => reject(new Error(`the second CMS exited (${code})`)))
      })
      const before = scheduler.stats.published
      scheduler.start(0)
      const drafts = await Promise.all(Array.from({ length: 12 }, () => draft(strapi, {
        publishAt: inMs(1500),
      })))
      for (const { documentId } of drafts)
        await until(`the publication of ${documentId}`, async () => (await versions(strapi, NEWS, documentId)).published.length > 0)
      await sleep(500)
      const theirs = await ask('scheduler') as { published: number }
      expect(scheduler.stats.published - before + theirs.published).toBe(12)
      for (const { documentId } of drafts) {
        const { draft, published } = await versions(strapi, NEWS, documentId)
        expect(published, documentId).toHaveLength(1)
        expect(draft!.publishAt).toBeNull()
      }
    }
    finally {
      child.kill('SIGTERM')
      await new Promise(resolve => child.exitCode === null
        ? child.once('exit', resolve)
        : resolve(null))
    }
  })
})
