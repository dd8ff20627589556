/**
 * The typed client of the ISECG Content API (`@isecg/shared`) in a few lines: the five newest news
 * articles and the roadmap publications. Run it against a CMS:
 *
 *   ISECG_CMS_URL=http://localhost:1337 [ISECG_TOKEN=…] pnpm --filter @isecg/shared example
 *
 * The answers are typed from the CMS schema: `article.title` is known, a field not asked for (or
 * one that does not exist) is a compile error.
 */
import { createCmsClient } from '../src/index'

const print = (line: string) => process.stdout.write(`${line}\n`)

async function main() {
  const cms = createCmsClient({
    baseUrl: process.env.ISECG_CMS_URL ?? 'http://localhost:1337',
    // an API token from the ISECG Secretariat also returns members-only entries
    token: process.env.ISECG_TOKEN || undefined,
  })

  const news = await cms.find('news-articles', {
    fields: ['title', 'slug', 'date'],
    sort: ['date:desc'],
    pagination: { page: 1, pageSize: 5 },
  })
  print(`The ${news.data.length} newest of ${news.meta.pagination?.total ?? '?'} news articles:`)
  for (const article of news.data)
    print(`  ${article.date}  ${article.title}  (/news/${article.slug})`)

  const roadmaps = await cms.findAll('publications', {
    fields: ['title', 'publicationDate'],
    filters: {
      kind: { $eq: 'roadmap' },
    },
    sort: ['publicationDate:desc'],
  })
  print(`Global Exploration Roadmap editions: ${roadmaps.length}`)
  for (const publication of roadmaps)
    print(`  ${publication.publicationDate}  ${publication.title}`)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
