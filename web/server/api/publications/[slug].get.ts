import type { PublicationView } from '../../../shared/types/view'

/** One publication by slug, with its edition lineage; 404 when absent. */
export default defineEventHandler(async (event): Promise<PublicationView> => {
  const slug = getRouterParam(event, 'slug') ?? ''
  const entry = await fromCms(event, cms => cms.findBySlug('publications', slug, PUBLICATION_QUERY))
  if (!entry)
    throw createError({ statusCode: 404, statusMessage: 'Not Found' })
  return toPublication(entry, mediaOrigin(event))
})
