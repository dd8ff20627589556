// `pnpm seed:scale`: adds generated news articles (10,000 by default) to a CMS database, for
// measuring the Content API at scale (`pnpm bench --scale` runs it on a temporary database).
// Never run by default and never needed by the site: the articles are titled "Scale test article N"
// with slugs `scale-news-N`.
//
//   pnpm seed:scale                                    # cms/.tmp/data.db (the `pnpm dev` database)
//   pnpm seed:scale --database /tmp/scale.db --count 10000
//   DATABASE_CLIENT=postgres DATABASE_URL=postgres://… pnpm seed:scale
//
// The CMS is booted without its HTTP server (the base ISECG content is seeded first on an empty
// database), then the rows are written with batched inserts, exactly as the Document Service
// writes a published document: a draft row and a published row sharing one documentId, each linked
// to the topics' rows of the same status (draft to draft, published to published), with the link
// order columns filled. About one article in ten is members-only. Idempotent: articles already
// present (by slug) are skipped. Finishes by bumping the response cache generation, so running
// CMS instances drop cached answers (src/content-api/response-cache.ts).
import { randomBytes } from 'node:crypto'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const cmsDir = join(root, 'cms')
const require = createRequire(join(cmsDir, 'package.json'))

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: process.env.SCALE_COUNT ?? '10000' },
    database: { type: 'string' },
    quiet: { type: 'boolean', default: false },
  },
})
const count = Number(args.count)
if (!Number.isSafeInteger(count) || count < 1)
  throw new Error('--count must be a whole number >= 1')
if (args.database) {
  process.env.DATABASE_CLIENT = 'sqlite'
  process.env.DATABASE_FILENAME = resolve(args.database)
}
const log = message => args.quiet || console.log(`seed:scale: ${message}`)

const TABLE = 'news_articles'
const LINKS = 'news_articles_topics_lnk'
const BATCH = 200
const PREFIX = 'scale-news-'

// Strapi's document ids are 24 lower-case alphanumerics starting with a letter (cuid2)
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789'
function documentId() {
  const bytes = randomBytes(24)
  let id = ALPHABET[bytes[0] % 26]
  for (let i = 1; i < 24; i++) id += ALPHABET[bytes[i] % 36]
  return id
}

function isoDay(n) {
  // spread over ~27 years back from 2026-06-30, several articles on some days
  const day = new Date(Date.UTC(2026, 5, 30) - Math.floor(n * 0.97) * 86_400_000)
  return day.toISOString().slice(0, 10)
}

// Strapi reads cms/.env from the working directory
process.chdir(cmsDir)
process.env.SEED_ON_EMPTY ??= 'true'
process.env.SITE_URL ??= 'http://localhost:3000'
const { compileStrapi, createStrapi } = require('@strapi/strapi')

const context = await compileStrapi({ appDir: cmsDir })
const strapi = await createStrapi({ ...context, autoReload: false, serveAdminPanel: false }).load()
strapi.log.level = 'error'
try {
  const knex = strapi.db.connection
  const started = Date.now()
  const topics = await knex('topics').select('id', 'document_id', 'published_at').orderBy('id')
  const draftTopic = new Map(topics.filter(t => !t.published_at).map(t => [t.document_id, t.id]))
  const publishedTopic = new Map(topics.filter(t => t.published_at).map(t => [t.document_id, t.id]))
  const topicDocs = [
    ...publishedTopic.keys(),
  ].filter(id => draftTopic.has(id))
  if (topicDocs.length === 0)
    throw new Error('no published topics: seed the base content first')

  const existing = new Set((await knex(TABLE).select('slug').where('slug', 'like', `${PREFIX}%`)).map(r => r.slug))
  // an article's position in each topic's list of articles (news_article_ord) continues after the
  // links already there
  const nextOrd = new Map()
  for (const row of await knex(LINKS).select('topic_id').max({ ord: 'news_article_ord' }).groupBy('topic_id'))
    nextOrd.set(row.topic_id, Number(row.ord ?? 0))
  const ord = (topicId) => {
    const value = (nextOrd.get(topicId) ?? 0) + 1
    nextOrd.set(topicId, value)
    return value
  }

  let created = 0
  for (let start = 1; start <= count; start += BATCH) {
    const numbers = []
    for (let n = start; n < Math.min(start + BATCH, count + 1); n++) {
      if (!existing.has(`${PREFIX}${n}`))
        numbers.push(n)
    }
    if (numbers.length === 0)
      continue
    await strapi.db.transaction(async ({ trx }) => {
      const now = new Date()
      const rows = []
      const topicsOf = new Map()
      for (const n of numbers) {
        const slug = `${PREFIX}${n}`
        const base = {
          document_id: documentId(),
          title: `Scale test article ${n}`,
          slug,
          date: isoDay(n),
          summary: `Generated article ${n} for measuring the Content API with many news articles.`,
          body: `Generated by pnpm seed:scale.\n\nArticle ${n} of ${count}.`,
          visibility: n % 10 === 0
            ? 'members'
            : 'public',
          created_at: now,
          updated_at: now,
          created_by_id: null,
          updated_by_id: null,
          locale: null,
        }
        rows.push({ ...base, published_at: null }, { ...base, published_at: now })
        topicsOf.set(slug, [
          topicDocs[n % topicDocs.length],
          ...(n % 3 === 0
            ? [topicDocs[(n + 1) % topicDocs.length]]
            : []),
        ].filter((id, i, all) => all.indexOf(id) === i))
      }
      await trx.batchInsert(TABLE, rows, BATCH)
      const inserted = await trx(TABLE).select('id', 'slug', 'published_at').whereIn('slug', numbers.map(n => `${PREFIX}${n}`))
      const links = []
      for (const row of inserted) {
        const byDoc = row.published_at
          ? publishedTopic
          : draftTopic
        topicsOf.get(row.slug).forEach((doc, index) => {
          const topicId = byDoc.get(doc)
          links.push({
            news_article_id: row.id,
            topic_id: topicId,
            topic_ord: index + 1,
            news_article_ord: ord(topicId),
          })
        })
      }
      await trx.batchInsert(LINKS, links, BATCH)
    })
    created += numbers.length
  }
  if (created > 0) {
    const { bumpGeneration } = require(join(context.distDir, 'src/content-api/response-cache.js'))
    await bumpGeneration(strapi)
  }
  const total = await knex(TABLE).whereNotNull('published_at').count({ n: '*' })
  log(`${created} article(s) added in ${((Date.now() - started) / 1000).toFixed(1)} s (${existing.size} already there); ${total[0].n} published news articles in all`)
}
finally {
  await strapi.destroy()
}
