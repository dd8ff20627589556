/**
 * Field and populate lists shared by several server routes, checked against the CMS schema
 * (`satisfies Query<UID>`). Written out explicitly: never populate=*.
 */
import type { Query } from '@isecg/shared'

export const NEWS_CARD_QUERY = {
  fields: [
    'title',
    'slug',
    'date',
    'summary',
    'visibility',
  ],
  populate: { cover: MEDIA_FIELDS },
} satisfies Query<'api::news-article.news-article'>

export const PUBLICATION_REF_QUERY = {
  fields: [
    'title',
    'slug',
    'kind',
    'publicationDate',
    'visibility',
  ],
} satisfies Query<'api::publication.publication'>

export const PUBLICATION_QUERY = {
  fields: [
    'title',
    'slug',
    'kind',
    'publicationDate',
    'abstract',
    'language',
    'visibility',
  ],
  populate: {
    cover: MEDIA_FIELDS,
    file: MEDIA_FIELDS,
    topics: {
      fields: ['title', 'slug'],
    },
    supersedes: PUBLICATION_REF_QUERY,
    supersededBy: PUBLICATION_REF_QUERY,
    supplements: PUBLICATION_REF_QUERY,
    supplementedBy: {
      ...PUBLICATION_REF_QUERY,
      sort: ['publicationDate:desc'],
    },
  },
} satisfies Query<'api::publication.publication'>

export const MEMBER_QUERY = {
  fields: [
    'name',
    'acronym',
    'slug',
    'country',
    'website',
    'yearJoined',
    'founder',
    'sortOrder',
  ],
  populate: { logo: MEDIA_FIELDS },
  sort: ['sortOrder:asc', 'acronym:asc'],
} satisfies Query<'api::member-agency.member-agency'>

/** Origin for media URLs (NUXT_PUBLIC_MEDIA_URL), empty when media are proxied under /uploads. */
export function mediaOrigin(_event: import('h3').H3Event): string {
  return useRuntimeConfig().public.mediaUrl || ''
}
