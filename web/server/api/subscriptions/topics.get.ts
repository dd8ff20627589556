import type { TopicRef } from '../../../shared/types/view'

/** The topics a subscriber can choose (the CMS's published topics), by title. */
export default defineEventHandler(async (event): Promise<TopicRef[]> => {
  const topics = await fromCms(event, cms => cms.findAll('topics', {
    fields: ['title', 'slug'],
    sort: ['title:asc'],
  }))
  return toTopicRefs(topics)
})
