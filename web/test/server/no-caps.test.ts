import type { CmsInstance } from '../../../cms/tests/harness'
import type { SiteInstance } from '../support/site'
/**
 * The sitemap, the publications library and its facets list every entry, not only the first page
 * the CMS answers (at most 100 entries per request): more than 100 news articles, publications and
 * topics are seeded, and the ones that sort last must still appear.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCms } from '../../../cms/tests/harness'
import { startSite } from '../support/site'

const EXTRA = 120

let cms: CmsInstance
let site: SiteInstance

async function publicTotal(path: string): Promise<number> {
  const body = await (await fetch(`${cms.url}/api/${path}?pagination[pageSize]=1`)).json() as { meta: { pagination: { total: number } } }
  return body.meta.pagination.total
}

beforeAll(async () => {
  cms = await startCms()
  const documents = (uid: 'api::news-article.news-article' | 'api::publication.publication' | 'api::topic.topic') => cms.strapi.documents(uid)
  for (let i = 1; i <= EXTRA; i++) {
    // dates older than the seed's, so that these sort after every seeded entry
    const day = `19${String(10 + Math.floor(i / 12)).padStart(2, '0')}-${String((i % 12) + 1).padStart(2, '0')}-15`
    await documents('api::news-article.news-article').create({
      data: {
        title: `Archive note ${i}`,
        slug: `archive-note-${i}`,
        date: day,
        summary: `Archive note ${i}.`,
        body: 'Archive.',
        visibility: 'public',
      } as never,
      status: 'published',
    })
    await documents('api::publication.publication').create({
      data: {
        title: `Archive paper ${i}`,
        slug: `archive-paper-${i}`,
        kind: 'report',
        publicationDate: day,
        abstract: 'Archive.',
        visibility: 'public',
      } as never,
      status: 'published',
    })
    await documents('api::topic.topic').create({
      data: { title: `Archive topic ${String(i).padStart(3, '0')}`, slug: `archive-topic-${i}` } as never,
      status: 'published',
    })
  }
  site = await startSite({ cmsUrl: cms.url, siteUrl: 'https://www.isecg.example' })
})

afterAll(async () => {
  await site?.stop()
  await cms?.stop()
})

describe('no silent caps at the CMS page size', () => {
  it('lists every public news article and publication in the sitemap', async () => {
    const xml = await (await fetch(`${site.url}/sitemap.xml`)).text()
    const news = xml.match(/<loc>https:\/\/www\.isecg\.example\/news\/[^<]+<\/loc>/g) ?? []
    const publications = xml.match(/<loc>https:\/\/www\.isecg\.example\/publications\/[^<]+<\/loc>/g) ?? []
    expect(news.length).toBe(await publicTotal('news-articles'))
    expect(publications.length).toBe(await publicTotal('publications'))
    expect(news.length).toBeGreaterThan(100)
    // the oldest entries sort last, past the first page of 100
    expect(xml).toContain('/news/archive-note-1<')
    expect(xml).toContain('/publications/archive-paper-1<')
  })

  it('shows every publication in the library, with every year and topic in the facets', async () => {
    const library = await (await fetch(`${site.url}/api/publications`)).json() as {
      items: { slug: string }[]
      total: number
      facets: { years: number[], topics: { slug: string }[] }
    }
    const total = await publicTotal('publications')
    expect(total).toBeGreaterThan(100)
    expect(library.items).toHaveLength(total)
    expect(library.total).toBe(total)
    expect(library.items.map(item => item.slug)).toContain('archive-paper-1')
    expect(library.facets.years).toContain(1910)
    expect(library.facets.topics).toHaveLength(await publicTotal('topics'))
    expect(library.facets.topics.map(topic => topic.slug)).toContain('archive-topic-120')

    const page = await (await fetch(`${site.url}/publications?year=1910`)).text()
    expect(page).toContain('Archive paper 1<')
  })
})
