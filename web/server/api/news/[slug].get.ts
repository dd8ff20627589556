import type { NewsArticleView } from '../../../shared/types/view'

/** One news article by slug; 404 when there is no published public article with that slug. */
export default defineEventHandler(async (event): Promise<NewsArticleView> => {
  const slug = getRouterParam(event, 'slug') ?? ''
  const origin = mediaOrigin(event)
  const entry = await fromCms(event, cms => cms.findBySlug('news-articles', slug, {
    fields: ['title', 'slug', 'date', 'summary', 'body', 'updatedAt'],
    populate: {
      cover: MEDIA_FIELDS,
      topics: { fields: ['title', 'slug'] },
      agencies: { fields: ['acronym', 'name', 'slug'] },
      attachments: MEDIA_FIELDS,
    },
  }))
  if (!entry) throw createError({ statusCode: 404, statusMessage: 'Not Found' })
  const data = entry as Record<string, unknown>
  const card = toNewsCard(data, origin)
  return {
    ...card,
    bodyHtml: renderMarkdown(str(data.body)),
    description: card.summary || markdownToText(str(data.body), 200),
    updatedAt: str(data.updatedAt) || null,
    topics: toTopicRefs(data.topics),
    agencies: toAgencyRefs(data.agencies),
    attachments: entries(data.attachments).map(m => toMedia(m, origin)).filter(m => m !== null),
  }
})
