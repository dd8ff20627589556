import type { SubscriptionChoice } from '../../../../shared/types/subscriptions'

/**
 * What a confirmation link would confirm (the confirm page shows it): the CMS only reads the
 * token, so a mail scanner following the link confirms nothing. 404 unknown, expired or used.
 */
export default defineEventHandler(async (event): Promise<SubscriptionChoice> => {
  const data = await readSubscriptionLink<unknown>(event, 'confirm', getRouterParam(event, 'token'))
  const choice = toSubscriptionChoice(data)
  if (!choice)
    throw createError({ statusCode: 503, statusMessage: 'Service Unavailable' })
  return choice
})
