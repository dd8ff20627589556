import type { FieldError } from '../../../shared/types/private-area'
import type { SignedIn } from '../../utils/member-api'
import { safeNext } from '../../../shared/utils/private-area'

/**
 * Sign-in form (POST from /private-area/sign-in). Success: a session and a 303 to the Private Area
 * (or the download the member asked for). Failure: back to the form with one message whatever was
 * wrong (unknown address, wrong password, account not active), or how long to wait when the CMS
 * limits attempts (429).
 */
export default defineEventHandler(async (event) => {
  const form = await readFormPost(event)
  const email = (form.email ?? '').trim()
  const password = form.password ?? ''
  const next = safeNext(form.next)
  const page = next
    ? `/private-area/sign-in?next=${encodeURIComponent(next)}`
    : '/private-area/sign-in'
  const back = (errors: FieldError[], status: number) => redirectWithFlash(event, page, {
    form: 'sign-in',
    errors,
    values: {
      email: email.slice(0, 254),
    },
    status,
  })

  const errors: FieldError[] = []
  if (!email)
    errors.push({ field: 'email', message: 'Enter your email address' })
  else if (!isEmail(email))
    errors.push({ field: 'email', message: 'Enter an email address in the correct format, like name@agency.org' })
  if (!password)
    errors.push({ field: 'password', message: 'Enter your password' })
  if (errors.length)
    return back(errors, 400)

  const answer = await memberAuth<SignedIn>(event, 'login', {
    body: { email, password },
  })
  const member = signedIn(answer)
  if (member) {
    await startMemberSession(event, member)
    return sendRedirect(event, next ?? '/private-area', 303)
  }
  if (answer.status === 429) {
    return back([
      {
        field: 'email',
        message: `Too many unsuccessful sign-in attempts. To protect the account, signing in is paused: try again in ${waitText(answer.retryAfter)}, or reset your password.`,
      },
    ], 429)
  }
  if (answer.status === 400 || answer.status === 401 || answer.status === 403) {
    return back([
      { field: 'email', message: 'The email address or password is not right. Check both and try again.' },
    ], 400)
  }
  return back([
    { field: 'email', message: SERVICE_UNAVAILABLE },
  ], 503)
})
