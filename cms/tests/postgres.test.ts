import type { CmsInstance } from './harness'
/**
 * The same app on PostgreSQL, as in production. Needs TEST_POSTGRES_URL (an admin connection);
 * .ci/run starts a server with scripts/pg-test-server.sh. Under CI a missing server is a failure.
 */
import { randomBytes } from 'node:crypto'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { distDir, getJson, startCms } from './harness'

const require = createRequire(import.meta.url)
const adminUrl = process.env.TEST_POSTGRES_URL
if (!adminUrl && process.env.CI)
  throw new Error('TEST_POSTGRES_URL is not set: CI must start PostgreSQL (scripts/pg-test-server.sh)')

describe.skipIf(!adminUrl)('on PostgreSQL', () => {
  const { Client } = require('pg')
  const database = `isecg_test_${randomBytes(4).toString('hex')}`
  let cms: CmsInstance

  const admin = async <T>(work: (client: any) => Promise<T>) => {
    const client = new Client({ connectionString: adminUrl })
    await client.connect()
    try {
      return await work(client)
    }
    finally {
      await client.end()
    }
  }

  beforeAll(async () => {
    await admin(client => client.query(`CREATE DATABASE ${database}`))
    const url = new URL(adminUrl!)
    url.pathname = `/${database}`
    cms = await startCms({
      postgresUrl: url.toString(),
    })
  })

  afterAll(async () => {
    await cms?.stop()
    await admin(client => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`))
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
