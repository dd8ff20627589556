import type { FieldError } from '../../../shared/types/private-area'

/** "Save my choice" (POST from /subscribe/preferences/<token>): all news or some topics. */
export default defineEventHandler(async (event) => {
  const form = await readFormLists(event)
  const token = form.token?.[0]
  if (!isSubscriptionToken(token))
    throw createError({ statusCode: 404, statusMessage: 'Not Found' })
  const page = preferencesPage(token)
  const choice = readChoice(form)
  const back = (errors: FieldError[], status: number) => redirectWithFlash(event, page, {
    form: 'preferences',
    errors,
    values: { choice: choice.choice || undefined, topics: choice.topics },
    status,
  })

  const errors = choiceErrors(choice)
  if (errors.length)
    return back(errors, 400)

  const answer = await siteApi(event, 'subscriptions/manage', {
    body: {
      token,
      ...choiceBody(choice),
    },
  })
  if (answer.status === 200)
    return redirectWithFlash(event, page, { form: 'preferences', notice: 'Your choice is saved.' })
  if (answer.status === 404)
    return sendRedirect(event, page, 303)
  if (answer.status === 400)
    return back(cmsChoiceErrors(answer.fieldErrors), 400)
  return back([
    {
      field: 'choice',
      message: answer.status === 429
        ? `Too many requests have come from your network. Please try again in ${waitText(answer.retryAfter)}.`
        : SUBSCRIPTIONS_UNAVAILABLE,
    },
  ], answer.status === 429
    ? 429
    : 503)
})
