import type { NewsArticleView } from '../../../shared/types/view'

/** One news article by slug; 404 when there is no published public article with that slug. */
export default defineEventHandler(async (event): Promise<NewsArticleView> => {
  const slug = getRouterParam(event, 'slug') ?? ''
  const origin = mediaOrigin(event)
  const entry = await fromCms(event, cms => cms.findBySlug('news-articles', slug, {
    fields: [
      'title',
      'slug',
      'date',
      'summary',
      'body',
      'updatedAt',
    ],
    populate: {
      cover: MEDIA_FIELDS,
      topics: {
        fields: ['title', 'slug'],
      },
      agencies: {
        fields: ['acronym', 'name', 'slug'],
      },
      attachments: MEDIA_FIELDS,
    },
  }))
  if (!entry)
    throw createError({ statusCode: 404, statusMessage: 'Not Found' })
  const card = toNewsCard(entry, origin)
  return {
    ...card,
    bodyHtml: renderMarkdown(entry.body ?? ''),
    description: card.summary || markdownToText(entry.body ?? '', 200),
    updatedAt: isoDate(entry.updatedAt) || null,
    topics: toTopicRefs(entry.topics),
    agencies: toAgencyRefs(entry.agencies),
    attachments: toMediaList(entry.attachments, origin),
  }
})
