import type { TopicView } from '../../../shared/types/view'

/** A topic section with its related news and publications; 404 when absent. */
export default defineEventHandler(async (event): Promise<TopicView> => {
  const slug = getRouterParam(event, 'slug') ?? ''
  const entry = await fromCms(event, cms => cms.findBySlug('topics', slug, {
    fields: ['title', 'slug', 'intro', 'body'],
    populate: {
      newsArticles: {
        ...NEWS_CARD_QUERY,
        sort: ['date:desc'],
      },
      publications: {
        ...PUBLICATION_REF_QUERY,
        sort: ['publicationDate:desc'],
      },
    },
  }))
  if (!entry)
    throw createError({ statusCode: 404, statusMessage: 'Not Found' })
  return {
    slug: entry.slug ?? '',
    title: entry.title ?? '',
    intro: entry.intro ?? '',
    bodyHtml: renderMarkdown(entry.body ?? ''),
    news: toNewsCards(entry.newsArticles, mediaOrigin(event)),
    publications: toPublicationRefs(entry.publications),
  }
})
