/**
 * Every page of the Private Area (/private-area, /private-area/*) is rendered for one person: this
 * middleware finds out who (the session, confirmed with the CMS), hands it with the CSRF token and
 * the last form's errors to the page (event.context.privateArea), and sends a signed-in member
 * away from the sign-in page. Responses are `private, no-store` (route rules); downloads
 * (/private-area/files/*) are handled by their own route.
 */
import type { PrivateAreaState } from '../../shared/types/private-area'

/** Pages only for people who are not signed in. */
const SIGNED_OUT_PAGES = new Set(['/private-area/sign-in', '/private-area/forgot-password'])

export default defineEventHandler(async (event) => {
  const path = event.path.split('?')[0]!.replace(/\/+$/, '')
  if (path !== '/private-area' && !path.startsWith('/private-area/'))
    return
  if (path.startsWith('/private-area/files/') || (event.method !== 'GET' && event.method !== 'HEAD'))
    return

  let member = null
  const session = await readMemberSession(event)
  if (session) {
    // The CMS ends sessions itself (blocked account, password reset): ask it on every page.
    const me = await memberAuth<{ member: typeof session.member }>(event, 'me', { jwt: session.jwt })
    if (me.status === 401 || me.status === 403) {
      await endMemberSession(event)
    }
    else {
      member = me.data?.member
        ? toMemberAccount(me.data.member)
        : session.member
    }
  }

  if (member && SIGNED_OUT_PAGES.has(path))
    return sendRedirect(event, '/private-area', 303)

  const flash = takeFlash(event)
  const state: PrivateAreaState = {
    member,
    csrfToken: csrfToken(event),
    flash,
  }
  event.context.privateArea = state
  if (flash?.status && flash.status >= 400)
    setResponseStatus(event, flash.status)
})
