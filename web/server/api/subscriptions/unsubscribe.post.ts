/**
 * The preferences page's "Unsubscribe" button: the CMS unsubscribes (source `preferences`), and the
 * page says so. (Links in mails use /subscribe/unsubscribe/<token>, server/middleware/subscriptions.ts.)
 */
export default defineEventHandler(async (event) => {
  const form = await readFormPost(event)
  const token = form.token
  if (!isSubscriptionToken(token))
    throw createError({ statusCode: 404, statusMessage: 'Not Found' })
  const page = preferencesPage(token)
  const answer = await siteApi(event, 'subscriptions/unsubscribe', {
    body: { token, source: 'preferences' },
  })
  if (answer.status === 200)
    return redirectWithFlash(event, page, { form: 'unsubscribe', notice: 'You are unsubscribed. You will not receive any more news mails from ISECG.' })
  if (answer.status === 404)
    return sendRedirect(event, page, 303)
  return redirectWithFlash(event, page, {
    form: 'unsubscribe',
    errors: [
      { field: 'unsubscribe', message: SUBSCRIPTIONS_UNAVAILABLE },
    ],
    status: 503,
  })
})
