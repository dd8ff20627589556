import type { LibraryView, PublicationView } from '../../../shared/types/view'
import { isPublicationKind, PUBLICATION_KINDS } from '../../../shared/utils/kinds'

/**
 * The publications library: /api/publications?kind=roadmap&topic=lunar-volatiles&year=2018&q=text.
 * Filters are applied by the CMS; unknown values are ignored rather than rejected, so an old link
 * still shows the library.
 */
export default defineEventHandler(async (event): Promise<LibraryView> => {
  const raw = getQuery(event)
  const kindParam = queryString(raw.kind)
  const kind = isPublicationKind(kindParam) ? kindParam : ''
  const topic = /^[a-z0-9-]{1,80}$/.test(queryString(raw.topic)) ? queryString(raw.topic) : ''
  const yearText = queryString(raw.year)
  const year = /^\d{4}$/.test(yearText) ? Number(yearText) : null
  const q = queryString(raw.q, 80)

  const filters: Record<string, unknown> = {}
  if (kind) filters.kind = { $eq: kind }
  if (topic) filters.topics = { slug: { $eq: topic } }
  if (year) filters.publicationDate = { $gte: `${year}-01-01`, $lte: `${year}-12-31` }
  if (q) filters.$or = [{ title: { $containsi: q } }, { abstract: { $containsi: q } }]

  const origin = mediaOrigin(event)
  const [found, topics, dates] = await Promise.all([
    fromCms(event, cms => cms.find('publications', {
      ...PUBLICATION_QUERY,
      filters,
      sort: ['publicationDate:desc', 'title:asc'],
      pagination: { page: 1, pageSize: 100 },
    })),
    fromCms(event, cms => cms.find('topics', {
      fields: ['title', 'slug'],
      sort: ['title:asc'],
      pagination: { page: 1, pageSize: 50, withCount: false },
    })),
    fromCms(event, cms => cms.find('publications', {
      fields: ['publicationDate', 'kind'],
      sort: ['publicationDate:desc'],
      pagination: { page: 1, pageSize: 100, withCount: false },
    })),
  ])

  const all = entries(dates.data)
  const years = [...new Set(all.map(p => Number(str(p.publicationDate).slice(0, 4))).filter(y => y > 1900))]
  const kindsPresent = new Set(all.map(p => p.kind))
  const items: PublicationView[] = toPublications(found.data, origin)
  return {
    items,
    total: found.meta.pagination.total,
    query: { kind, topic, year, q },
    facets: {
      kinds: PUBLICATION_KINDS.filter(k => kindsPresent.has(k)),
      topics: toTopicRefs(topics.data),
      years,
    },
  }
})
