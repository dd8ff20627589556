import type { CmsInstance } from './harness'
/**
 * The list and detail indexes (declared in the content types' schema.json, created by Strapi's
 * schema sync) exist on SQLite and on PostgreSQL after a first start on an empty database and are
 * still there after a restart. The index list is read from the database itself.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { startCms } from './harness'
import { testDatabase, testPostgresUrl } from './support/postgres'

/** table -> index name -> columns, in order */
const EXPECTED: Record<string, Record<string, string[]>> = {
  news_articles: {
    news_articles_visibility_date_idx: [
      'visibility',
      'date',
      'id',
      'published_at',
    ],
    news_articles_date_idx: ['date', 'id', 'published_at'],
    news_articles_slug_idx: ['slug', 'published_at'],
    // the scheduler's due entries (src/scheduling)
    news_articles_publish_at_idx: ['publish_at', 'published_at'],
    news_articles_unpublish_at_idx: ['unpublish_at', 'published_at'],
  },
  publications: {
    publications_visibility_date_idx: ['visibility', 'publication_date', 'published_at'],
    publications_kind_date_idx: ['kind', 'publication_date', 'published_at'],
    publications_slug_idx: ['slug', 'published_at'],
    publications_publish_at_idx: ['publish_at', 'published_at'],
    publications_unpublish_at_idx: ['unpublish_at', 'published_at'],
  },
  member_documents: {
    member_documents_date_idx: ['date', 'published_at'],
    member_documents_kind_date_idx: ['kind', 'date', 'published_at'],
    member_documents_slug_idx: ['slug', 'published_at'],
  },
  topics: {
    topics_slug_idx: ['slug', 'published_at'],
  },
}

type IndexList = Record<string, Record<string, string[]>>

async function sqliteIndexes(cms: CmsInstance): Promise<IndexList> {
  const knex = cms.strapi.db.connection
  const result: IndexList = {}
  for (const table of Object.keys(EXPECTED)) {
    result[table] = {}
    for (const index of await knex.raw(`pragma index_list(${table})`) as Array<{ name: string }>) {
      const columns = await knex.raw(`pragma index_info(${index.name})`) as Array<{ seqno: number, name: string }>
      result[table][index.name] = columns.sort((a, b) => a.seqno - b.seqno).map(column => column.name)
    }
  }
  return result
}

async function postgresIndexes(cms: CmsInstance): Promise<IndexList> {
  const { rows } = await cms.strapi.db.connection.raw(`
    select t.relname as table_name, i.relname as index_name, a.attname as column_name, k.ord
    from pg_index x
    join pg_class i on i.oid = x.indexrelid
    join pg_class t on t.oid = x.indrelid
    join pg_namespace n on n.oid = t.relnamespace and n.nspname = current_schema()
    cross join lateral unnest(x.indkey) with ordinality as k(attnum, ord)
    join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum
    where t.relname = any(?)
    order by t.relname, i.relname, k.ord`, [
    Object.keys(EXPECTED),
  ]) as { rows: Array<{ table_name: string, index_name: string, column_name: string }> }
  const result: IndexList = Object.fromEntries(Object.keys(EXPECTED).map(table => [table, {}]))
  for (const row of rows)
    (result[row.table_name]![row.index_name] ??= []).push(row.column_name)
  // the same names are listed by pg_indexes
  const { rows: listed } = await cms.strapi.db.connection.raw('select indexname from pg_indexes where schemaname = current_schema()') as { rows: Array<{ indexname: string }> }
  const names = new Set(listed.map(row => row.indexname))
  for (const table of Object.values(result)) {
    for (const name of Object.keys(table)) {
      if (!names.has(name))
        delete table[name]
    }
  }
  return result
}

function expectIndexes(found: IndexList) {
  for (const [table, indexes] of Object.entries(EXPECTED)) {
    for (const [name, columns] of Object.entries(indexes))
      expect(found[table]?.[name], `${table}.${name}`).toEqual(columns)
  }
}

describe('list and detail indexes on SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'isecg-indexes-'))
  const databaseFile = join(dir, 'data.db')
  let cms: CmsInstance | undefined
  afterAll(async () => {
    await cms?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('exist after the first start and after a restart', async () => {
    cms = await startCms({ seed: false, databaseFile })
    expectIndexes(await sqliteIndexes(cms))
    await cms.stop()
    cms = await startCms({ seed: false, databaseFile })
    expectIndexes(await sqliteIndexes(cms))
  })

  it('are used by the news list query', async () => {
    const plan = await cms!.strapi.db.connection.raw(`explain query plan select * from news_articles
      where published_at is not null and visibility = 'public' order by date desc, id desc limit 25 offset 500`) as Array<{ detail: string }>
    expect(plan.map(step => step.detail).join('\n')).toContain('news_articles_visibility_date_idx')
  })
})

describe.skipIf(!testPostgresUrl)('list and detail indexes on PostgreSQL', () => {
  const database = testDatabase('isecg_idx')
  let cms: CmsInstance | undefined

  afterAll(async () => {
    await cms?.stop()
    await database.drop()
  })

  it('exist after the first start and after a restart', async () => {
    await database.create()
    cms = await startCms({
      postgresUrl: database.url,
      seed: false,
    })
    expectIndexes(await postgresIndexes(cms))
    await cms.stop()
    cms = await startCms({
      postgresUrl: database.url,
      seed: false,
    })
    expectIndexes(await postgresIndexes(cms))
  })
})
