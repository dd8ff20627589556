import type { TopicView } from '../../../shared/types/view'

/** A topic section with its related news and publications; 404 when absent. */
export default defineEventHandler(async (event): Promise<TopicView> => {
  const slug = getRouterParam(event, 'slug') ?? ''
  const entry = await fromCms(event, cms => cms.findBySlug('topics', slug, {
    fields: ['title', 'slug', 'intro', 'body'],
    populate: {
      newsArticles: { ...NEWS_CARD_QUERY, sort: ['date:desc'] },
      publications: { fields: PUBLICATION_REF_FIELDS, sort: ['publicationDate:desc'] },
    },
  }))
  if (!entry) throw createError({ statusCode: 404, statusMessage: 'Not Found' })
  const data = entry as Record<string, unknown>
  return {
    slug: str(data.slug),
    title: str(data.title),
    intro: str(data.intro),
    bodyHtml: renderMarkdown(str(data.body)),
    news: toNewsCards(data.newsArticles, mediaOrigin(event)),
    publications: toPublicationRefs(data.publications),
  }
})
