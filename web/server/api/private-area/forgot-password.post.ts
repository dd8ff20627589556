import type { FieldError } from '../../../shared/types/private-area'

/**
 * Forgotten password form (POST from /private-area/forgot-password). The answer never tells
 * whether the address belongs to a member: the CMS mails a link only to active accounts.
 */
export default defineEventHandler(async (event) => {
  const form = await readFormPost(event)
  const email = (form.email ?? '').trim()
  const page = '/private-area/forgot-password'
  const errors: FieldError[] = []
  if (!email)
    errors.push({ field: 'email', message: 'Enter your email address' })
  else if (!isEmail(email))
    errors.push({ field: 'email', message: 'Enter an email address in the correct format, like name@agency.org' })
  if (errors.length) {
    return redirectWithFlash(event, page, {
      form: 'forgot-password',
      errors,
      values: {
        email: email.slice(0, 254),
      },
      status: 400,
    })
  }

  const answer = await memberAuth(event, 'password/forgot', {
    body: { email },
  })
  if (answer.status === 0 || answer.status >= 500) {
    return redirectWithFlash(event, page, {
      form: 'forgot-password',
      errors: [
        { field: 'email', message: SERVICE_UNAVAILABLE },
      ],
      values: { email },
      status: 503,
    })
  }
  return redirectWithFlash(event, page, {
    form: 'forgot-password',
    notice: `If ${email} is the address of a member account, we have sent it a link to choose a new password. The link works for one hour. Check your spam folder if it does not arrive in a few minutes.`,
  })
})
