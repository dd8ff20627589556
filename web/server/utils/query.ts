/** Field and populate lists shared by several server routes. Written out explicitly: never populate=*. */
export const NEWS_CARD_QUERY = {
  fields: ['title', 'slug', 'date', 'summary', 'visibility'],
  populate: { cover: MEDIA_FIELDS },
}

export const PUBLICATION_REF_FIELDS = ['title', 'slug', 'kind', 'publicationDate', 'visibility']

export const PUBLICATION_QUERY = {
  fields: ['title', 'slug', 'kind', 'publicationDate', 'abstract', 'language', 'visibility'],
  populate: {
    cover: MEDIA_FIELDS,
    file: MEDIA_FIELDS,
    topics: { fields: ['title', 'slug'] },
    supersedes: { fields: PUBLICATION_REF_FIELDS },
    supersededBy: { fields: PUBLICATION_REF_FIELDS },
    supplements: { fields: PUBLICATION_REF_FIELDS },
    supplementedBy: { fields: PUBLICATION_REF_FIELDS, sort: ['publicationDate:desc'] },
  },
}

export const MEMBER_QUERY = {
  fields: ['name', 'acronym', 'slug', 'country', 'website', 'yearJoined', 'founder', 'sortOrder'],
  populate: { logo: MEDIA_FIELDS },
  sort: ['sortOrder:asc', 'acronym:asc'],
  pagination: { page: 1, pageSize: 100 },
}

/** Origin for media URLs (NUXT_PUBLIC_MEDIA_URL), empty when media are proxied under /uploads. */
export function mediaOrigin(event: import('h3').H3Event): string {
  return useRuntimeConfig(event).public.mediaUrl || ''
}
