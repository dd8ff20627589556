import type { Query } from '@isecg/shared'
import type { LibraryView } from '../../../shared/types/view'
import { isPublicationKind, PUBLICATION_KINDS } from '../../../shared/utils/kinds'

/**
 * The publications library: /api/publications?kind=roadmap&topic=lunar-volatiles&year=2018&q=text.
 * Filters are applied by the CMS; unknown values are ignored rather than rejected, so an old link
 * still shows the library.
 */
export default defineEventHandler(async (event): Promise<LibraryView> => {
  const raw = getQuery(event)
  const kindParam = queryString(raw.kind)
  const kind = isPublicationKind(kindParam)
    ? kindParam
    : ''
  const topic = /^[a-z0-9-]{1,80}$/.test(queryString(raw.topic))
    ? queryString(raw.topic)
    : ''
  const yearText = queryString(raw.year)
  const year = /^\d{4}$/.test(yearText)
    ? Number(yearText)
    : null
  const q = queryString(raw.q, 80)

  const filters: NonNullable<Query<'api::publication.publication'>['filters']> = {}
  if (kind)
    filters.kind = { $eq: kind }
  if (topic) {
    filters.topics = {
      slug: { $eq: topic },
    }
  }
  if (year)
    filters.publicationDate = { $gte: `${year}-01-01`, $lte: `${year}-12-31` }
  if (q) {
    filters.$or = [
      {
        title: { $containsi: q },
      },
      {
        abstract: { $containsi: q },
      },
    ]
  }

  const origin = mediaOrigin(event)
  // Every matching entry and every facet value: the library has no pages, so nothing may be cut off
  // at the CMS's page size cap.
  const [found, topics, dates] = await Promise.all([
    fromCms(event, cms => cms.findAll('publications', {
      ...PUBLICATION_QUERY,
      filters,
      sort: ['publicationDate:desc', 'title:asc'],
    })),
    fromCms(event, cms => cms.findAll('topics', {
      fields: ['title', 'slug'],
      sort: ['title:asc'],
    })),
    fromCms(event, cms => cms.findAll('publications', {
      fields: ['publicationDate', 'kind'],
      sort: ['publicationDate:desc'],
    })),
  ])

  const years = [
    ...new Set(dates.map(p => Number(isoDate(p.publicationDate).slice(0, 4))).filter(y => y > 1900)),
  ]
  const kindsPresent = new Set(dates.map(p => p.kind))
  const items = toPublications(found, origin)
  return {
    items,
    total: items.length,
    query: { kind, topic, year, q },
    facets: {
      kinds: PUBLICATION_KINDS.filter(k => kindsPresent.has(k)),
      topics: toTopicRefs(topics),
      years,
    },
  }
})
