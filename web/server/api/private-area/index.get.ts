import type { Query } from '@isecg/shared'
import type { MemberDocumentQuery, MemberFileView, PrivateAreaView } from '../../../shared/types/private-area'
import { isMemberDocumentKind, MEMBER_DOCUMENT_KINDS } from '../../../shared/utils/private-area'

/**
 * What the Private Area shows a signed-in member: members-only news and publications, and the
 * member documents, filtered by ?kind=minutes&year=2025&group=<working group>&topic=<slug>&q=<title>.
 * Read from the CMS with the member's own JWT (so the CMS decides what they may see); 401 when
 * nobody is signed in. Files link to /private-area/files/<fileId>, never to /uploads.
 */
const FILE_FIELDS = {
  fields: ['name', 'ext', 'mime', 'size'],
} satisfies Query<'plugin::upload.file'>

interface FileSource { id?: number | string | null, name?: string | null, ext?: string | null, mime?: string | null, size?: number | null }

function toMemberFile(file: FileSource | null | undefined): MemberFileView | null {
  if (!file?.id)
    return null
  return {
    href: `/private-area/files/${encodeURIComponent(String(file.id))}`,
    name: file.name ?? 'file',
    ext: file.ext ?? null,
    mime: file.mime ?? null,
    size: typeof file.size === 'number'
      ? file.size
      : null,
  }
}

export default defineEventHandler(async (event): Promise<PrivateAreaView> => {
  const session = await readMemberSession(event)
  if (!session)
    throw createError({ statusCode: 401, statusMessage: 'Unauthorized' })

  const raw = getQuery(event)
  const kindParam = queryString(raw.kind)
  const yearText = queryString(raw.year)
  const query: MemberDocumentQuery = {
    kind: isMemberDocumentKind(kindParam)
      ? kindParam
      : '',
    year: /^\d{4}$/.test(yearText)
      ? Number(yearText)
      : null,
    group: queryString(raw.group, 120),
    topic: /^[a-z0-9-]{1,80}$/.test(queryString(raw.topic))
      ? queryString(raw.topic)
      : '',
    q: queryString(raw.q, 80),
  }

  const filters: NonNullable<Query<'api::member-document.member-document'>['filters']> = {}
  if (query.kind)
    filters.kind = { $eq: query.kind }
  if (query.year)
    filters.date = { $gte: `${query.year}-01-01`, $lte: `${query.year}-12-31` }
  if (query.group)
    filters.workingGroup = { $eq: query.group }
  if (query.topic) {
    filters.topics = {
      slug: { $eq: query.topic },
    }
  }
  if (query.q)
    filters.title = { $containsi: query.q }

  const [news, publications, documents, facets, topics] = await asMember(event, session.jwt, cms => Promise.all([
    cms.find('news-articles', {
      fields: [
        'title',
        'slug',
        'date',
        'summary',
        'body',
      ],
      populate: { attachments: FILE_FIELDS },
      filters: {
        visibility: { $eq: 'members' },
      },
      sort: ['date:desc'],
      pagination: { page: 1, pageSize: 20 },
    }),
    cms.findAll('publications', {
      fields: [
        'title',
        'slug',
        'kind',
        'publicationDate',
        'abstract',
      ],
      populate: {
        file: FILE_FIELDS,
        topics: {
          fields: ['title', 'slug'],
        },
      },
      filters: {
        visibility: { $eq: 'members' },
      },
      sort: ['publicationDate:desc', 'title:asc'],
    }),
    cms.findAll('member-documents', {
      fields: [
        'title',
        'summary',
        'kind',
        'date',
        'workingGroup',
      ],
      populate: {
        file: FILE_FIELDS,
        topics: {
          fields: ['title', 'slug'],
        },
      },
      filters,
      sort: ['date:desc', 'title:asc'],
    }),
    // every document's facets, so that the filters offer only what exists
    cms.findAll('member-documents', {
      fields: ['kind', 'date', 'workingGroup'],
      populate: {
        topics: {
          fields: ['title', 'slug'],
        },
      },
    }),
    cms.findAll('topics', {
      fields: ['title', 'slug'],
      sort: ['title:asc'],
    }),
  ]))

  const kinds = new Set(facets.map(d => d.kind))
  const topicSlugs = new Set(facets.flatMap(d => (d.topics ?? []).map(t => t.slug)))
  return {
    news: news.data.map(entry => ({
      ...toNewsCard(entry),
      cover: null,
      bodyHtml: renderMarkdown(entry.body ?? ''),
      attachments: (entry.attachments ?? []).map(toMemberFile).filter(file => file !== null),
    })),
    publications: publications.map(entry => ({
      slug: entry.slug ?? '',
      title: entry.title ?? '',
      kind: entry.kind ?? 'report',
      date: isoDate(entry.publicationDate),
      abstract: entry.abstract ?? '',
      file: toMemberFile(entry.file),
      topics: toTopicRefs(entry.topics),
    })),
    documents: documents.map(entry => ({
      documentId: entry.documentId,
      title: entry.title ?? '',
      summary: entry.summary ?? '',
      kind: entry.kind ?? 'other',
      date: isoDate(entry.date),
      workingGroup: entry.workingGroup ?? '',
      topics: toTopicRefs(entry.topics),
      file: toMemberFile(entry.file),
    })),
    query,
    facets: {
      kinds: MEMBER_DOCUMENT_KINDS.filter(kind => kinds.has(kind)),
      years: [
        ...new Set(facets.map(d => Number(isoDate(d.date).slice(0, 4))).filter(y => y > 1900)),
      ].sort((a, b) => b - a),
      groups: [
        ...new Set(facets.map(d => d.workingGroup ?? '').filter(Boolean)),
      ].sort((a, b) => a.localeCompare(b)),
      topics: toTopicRefs(topics).filter(topic => topicSlugs.has(topic.slug)),
    },
  }
})
