/**
 * A publication's citation as a download: ?format=bibtex (default), ris or csl-json
 * (server/utils/citations.ts). 404 for an unknown, draft-only or members-only publication, 400 for
 * an unknown format.
 */
export default defineEventHandler(async (event) => {
  const slug = getRouterParam(event, 'slug') ?? ''
  const format = queryString(getQuery(event).format) || 'bibtex'
  if (!isCitationFormat(format))
    throw createError({ statusCode: 400, statusMessage: 'Bad Request', message: 'format must be bibtex, ris or csl-json.' })
  if (!/^[a-z0-9-]{1,200}$/.test(slug))
    throw createError({ statusCode: 404, statusMessage: 'Not Found' })
  const entry = await fromCms(event, cms => cms.findBySlug('publications', slug, {
    fields: PUBLICATION_QUERY.fields,
  }))
  // The anonymous CMS client never returns members-only entries; checked again here.
  if (!entry || entry.visibility === 'members' || !entry.slug)
    throw createError({ statusCode: 404, statusMessage: 'Not Found' })
  const { extension, contentType } = CITATION_FORMATS[format]
  const body = CITATION_WRITERS[format]({
    slug: entry.slug,
    title: entry.title ?? '',
    kind: entry.kind,
    date: isoDate(entry.publicationDate),
    abstract: entry.abstract ?? '',
    language: entry.language ?? '',
    url: siteLink(siteOrigin(event), `/publications/${entry.slug}`),
  })
  setResponseHeader(event, 'content-type', contentType)
  setResponseHeader(event, 'content-disposition', `attachment; filename="isecg-${entry.slug}.${extension}"`)
  return body
})
