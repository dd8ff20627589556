import type { FieldError } from '../../../shared/types/private-area'

/**
 * The subscribe form (POST from /subscribe). Whatever the address (new, pending, confirmed,
 * unsubscribed), the answer is the same 303 to /subscribe/check-your-email: the CMS decides which
 * mail to send, and nobody learns from the site whether an address is subscribed. A filled
 * honeypot gets that same answer, and nothing is sent to the CMS.
 */
export default defineEventHandler(async (event) => {
  const form = await readFormLists(event)
  if ((form[HONEYPOT_FIELD]?.[0] ?? '').trim())
    return sendRedirect(event, CHECK_EMAIL_PAGE, 303)

  const email = (form.email?.[0] ?? '').trim()
  const choice = readChoice(form)
  const consent = form.consent?.[0] === 'yes'
  const back = (errors: FieldError[], status: number) => redirectWithFlash(event, SUBSCRIBE_PAGE, {
    form: 'subscribe',
    errors,
    values: {
      email: email.slice(0, 254),
      choice: choice.choice || undefined,
      topics: choice.topics,
      consent,
    },
    status,
  })

  const errors: FieldError[] = []
  if (!email)
    errors.push({ field: 'email', message: 'Enter your email address' })
  else if (!isEmail(email))
    errors.push({ field: 'email', message: 'Enter an email address in the correct format, like name@agency.org' })
  errors.push(...choiceErrors(choice))
  if (!consent)
    errors.push({ field: 'consent', message: 'Tick the box to agree to receive these mails' })
  if (errors.length)
    return back(errors, 400)

  const answer = await siteApi(event, 'subscriptions/subscribe', {
    body: {
      email,
      ...choiceBody(choice),
      consent: true,
      policyVersion: await privacyPolicyVersion(event),
    },
  })
  if (answer.status === 202 || answer.status === 200)
    return sendRedirect(event, CHECK_EMAIL_PAGE, 303)
  if (answer.status === 429) {
    return back([
      { field: 'email', message: `Too many subscription requests have come from your network. Please try again in ${waitText(answer.retryAfter)}.` },
    ], 429)
  }
  if (answer.status === 400)
    return back(cmsChoiceErrors(answer.fieldErrors), 400)
  return back([
    { field: 'email', message: SUBSCRIPTIONS_UNAVAILABLE },
  ], 503)
})
