/**
 * "Confirm my subscription" (POST from /subscribe/confirm/<token>): the CMS confirms and answers the
 * manage token; the visitor lands on their preferences page with a notice. A link that is no
 * longer valid: back to the confirm page, which explains it (404).
 */
export default defineEventHandler(async (event) => {
  const form = await readFormPost(event)
  const token = form.token
  if (!isSubscriptionToken(token))
    throw createError({ statusCode: 404, statusMessage: 'Not Found' })
  const page = `/subscribe/confirm/${encodeURIComponent(token)}`

  const answer = await siteApi<{ manageToken?: unknown }>(event, 'subscriptions/confirm', {
    body: { token },
  })
  const manageToken = answer.data?.manageToken
  if (answer.status === 200 && isSubscriptionToken(manageToken)) {
    return redirectWithFlash(event, preferencesPage(manageToken), {
      form: 'confirm',
      notice: 'Your subscription is confirmed. You will receive a mail when ISECG publishes news you chose. You can change your choice here at any time; every mail also links to this page.',
    })
  }
  if (answer.status === 404 || answer.status === 400)
    return sendRedirect(event, page, 303)
  return redirectWithFlash(event, page, {
    form: 'confirm',
    errors: [
      {
        field: 'confirm',
        message: answer.status === 429
          ? `Too many requests have come from your network. Please try again in ${waitText(answer.retryAfter)}.`
          : SUBSCRIPTIONS_UNAVAILABLE,
      },
    ],
    status: answer.status === 429
      ? 429
      : 503,
  })
})
