import type { CmsInstance } from './harness'
/**
 * The same app on PostgreSQL, as in production. Needs TEST_POSTGRES_URL (an admin connection);
 * .ci/run starts a server with scripts/pg-test-server.sh. Under CI a missing server is a failure.
 */
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { distDir, getJson, startCms } from './harness'
import { testDatabase, testPostgresUrl } from './support/postgres'

const require = createRequire(import.meta.url)
describe.skipIf(!testPostgresUrl)('on PostgreSQL', () => {
  const database = testDatabase('isecg_test')
  let cms: CmsInstance

  beforeAll(async () => {
    await database.create()
    cms = await startCms({
      postgresUrl: database.url,
    })
  })

  afterAll(async () => {
    await cms?.stop()
    await database.drop()
  })

  it('runs on PostgreSQL and seeds every member agency', async () => {
    expect(cms.strapi.db.dialect.client).toBe('postgres')
    const { agencies } = require(join(distDir, 'src/seed/index.js'))
    const { status, body } = await getJson(cms, '/api/member-agencies?pagination[pageSize]=100')
    expect(status).toBe(200)
    expect(body.meta.pagination.total).toBe(agencies.length)
  })

  it('keeps members-only entries out of public responses on PostgreSQL', async () => {
    await cms.strapi.documents('api::publication.publication').create({
      data: {
        title: 'Members-only PG draft',
        slug: 'members-only-pg',
        kind: 'report',
        publicationDate: '2026-10-01',
        visibility: 'members',
      },
      status: 'published',
    } as never)
    const { body } = await getJson(cms, '/api/publications?filters[slug][$containsi]=members-only&populate[topics][fields][0]=slug')
    expect(body.data).toEqual([])
    const stored = await cms.strapi.db.query('api::publication.publication').count({
      where: { slug: 'members-only-pg' },
    })
    expect(stored).toBeGreaterThan(0)
  })

  it('answers bad queries with 400 and caps page sizes on PostgreSQL', async () => {
    expect((await getJson(cms, '/api/news-articles?filters[nope][$eq]=1')).status).toBe(400)
    const capped = await getJson(cms, '/api/news-articles?pagination[pageSize]=100000')
    expect(capped.body.meta.pagination.pageSize).toBe(100)
  })

  it('seeds idempotently on PostgreSQL', async () => {
    const { seed } = require(join(distDir, 'src/seed/index.js'))
    const report = await seed(cms.strapi)
    expect(report.created).toEqual({})
  })
})
