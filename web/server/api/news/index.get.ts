import type { NewsPageView } from '../../../shared/types/view'

/** One page of news, newest first: /api/news?page=N. A page past the end is a 404. */
export default defineEventHandler(async (event): Promise<NewsPageView> => {
  const page = parsePage(getQuery(event).page)
  if (page === null)
    throw createError({ statusCode: 404, statusMessage: 'Not Found' })
  const response = await fromCms(event, cms => cms.find('news-articles', {
    ...NEWS_CARD_QUERY,
    sort: ['date:desc', 'id:desc'],
    pagination: { page, pageSize: NEWS_PAGE_SIZE },
  }))
  const { pagination } = response.meta
  if (page > 1 && page > pagination.pageCount)
    throw createError({ statusCode: 404, statusMessage: 'Not Found' })
  return {
    items: toNewsCards(response.data, mediaOrigin(event)),
    pagination: {
      page: pagination.page,
      pageSize: pagination.pageSize,
      pageCount: pagination.pageCount,
      total: pagination.total,
    },
  }
})
