import type { SubscriptionView } from '../../../../shared/types/subscriptions'

/** A subscription read with its manage token (preferences and unsubscribe pages); 404 unknown. */
export default defineEventHandler(async (event): Promise<SubscriptionView> => {
  const data = await readSubscriptionLink<{ status?: unknown }>(event, 'manage', getRouterParam(event, 'token'))
  const choice = toSubscriptionChoice(data)
  const status = data.status
  if (!choice || (status !== 'pending' && status !== 'confirmed' && status !== 'unsubscribed'))
    throw createError({ statusCode: 503, statusMessage: 'Service Unavailable' })
  return { ...choice, status }
})
