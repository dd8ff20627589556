/**
 * The site's HTML forms: the Private Area's (docs/private-area.md) and the news subscription's
 * (docs/notifications.md). CSRF protection and the errors a form hands back to its page.
 *
 * CSRF: a signed double-submit token. The browser holds a random value in an httpOnly cookie
 * (isecg-csrf); every form carries HMAC(value) in its hidden `_csrf` field, which a page on another
 * site can neither read nor compute. A POST is accepted only with a matching token, and only when
 * the browser does not say it comes from elsewhere (Origin, Sec-Fetch-Site). On https the cookie is
 * `__Host-isecg-csrf`, which a subdomain cannot plant.
 *
 * Errors: a form answers with a 303 redirect to its page (so that reloading never re-posts); what
 * the page must show (messages, the email typed, the status) travels in a signed cookie that lives
 * for a few minutes and is read once (isecg-form). The cookie is scoped to the section of the page
 * it is for (/private-area or /subscribe), so that it is sent with that section's pages only.
 */
import type { H3Event } from 'h3'
import type { FormFlash } from '../../shared/types/private-area'
import type { SignedIn } from './member-api'
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/** On https the cookie is __Host- prefixed: no subdomain (nor plain-http page) can set it. */
function csrfCookie(event: H3Event) {
  return privateCookieOptions(event).secure
    ? '__Host-isecg-csrf'
    : 'isecg-csrf'
}
const FLASH_COOKIE = 'isecg-form'
/** The sections whose pages show a form's errors; the flash cookie's Path is one of them. */
const FLASH_SECTIONS = ['/private-area', '/subscribe'] as const

/** The flash cookie's Path for a page of the site (a path, with or without a query). */
export function flashPath(location: string): string {
  const path = location.split(/[?#]/)[0]!
  const section = FLASH_SECTIONS.find(prefix => path === prefix || path.startsWith(`${prefix}/`))
  if (!section)
    throw new Error(`no form page section for ${location}`)
  return section
}

/** A key for one purpose, derived from the session password (never the password itself). */
function hmac(event: H3Event, purpose: string, value: string): string {
  const secret = useRuntimeConfig().session.password || process.env.NUXT_SESSION_PASSWORD || ''
  if (!secret)
    throw createError({ statusCode: 500, statusMessage: 'Session password not configured' })
  const key = createHmac('sha256', secret).update(`isecg:${purpose}`).digest()
  return createHmac('sha256', key).update(value).digest('base64url')
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

/** The token for the forms of this page; sets the CSRF cookie when the browser has none. */
export function csrfToken(event: H3Event): string {
  let value = getCookie(event, csrfCookie(event)) ?? ''
  if (!/^[\w-]{43}$/.test(value)) {
    value = randomBytes(32).toString('base64url')
    setCookie(event, csrfCookie(event), value, privateCookieOptions(event))
  }
  return hmac(event, 'csrf', value)
}

function refuse(reason: string): never {
  throw createError({ statusCode: 403, statusMessage: 'Forbidden', message: reason })
}

/**
 * The fields of a form POST, once it has passed the CSRF checks (403 otherwise), each with all its
 * values (checkboxes of one name send several). Values are strings, bounded in length and number;
 * anything else is dropped.
 */
export async function readFormLists(event: H3Event): Promise<Record<string, string[]>> {
  const fetchSite = getRequestHeader(event, 'sec-fetch-site')
  if (fetchSite && fetchSite !== 'same-origin')
    refuse(`cross-site form post (Sec-Fetch-Site: ${fetchSite})`)
  const origin = getRequestHeader(event, 'origin')
  if (origin === 'null') {
    // an opaque origin (privacy settings, sandboxed frames, a page with Referrer-Policy: no-referrer):
    // only Sec-Fetch-Site can vouch for it
    if (fetchSite !== 'same-origin')
      refuse('form post from an opaque origin')
  }
  else if (origin !== undefined) {
    const allowed = new Set([
      siteOrigin(event),
      getRequestURL(event).origin,
    ].filter(Boolean))
    if (!allowed.has(origin))
      refuse(`form post from another origin (${origin})`)
  }
  const type = getRequestHeader(event, 'content-type') ?? ''
  if (!type.startsWith('application/x-www-form-urlencoded'))
    refuse('not a form post')
  const raw = await readBody<Record<string, unknown>>(event).catch(() => null)
  const fields: Record<string, string[]> = {}
  for (const [key, value] of Object.entries(raw ?? {})) {
    const texts = (Array.isArray(value)
      ? value
      : [value]).filter((text): text is string => typeof text === 'string').slice(0, 100)
    if (texts.length)
      fields[key] = texts.map(text => text.slice(0, 1024))
  }
  const cookie = getCookie(event, csrfCookie(event)) ?? ''
  const token = fields._csrf?.[0] ?? ''
  if (!cookie || !token || !sameText(token, hmac(event, 'csrf', cookie)))
    refuse('missing or invalid CSRF token')
  return fields
}

/** The fields of a form POST (the first value of each), once it has passed the CSRF checks. */
export async function readFormPost(event: H3Event): Promise<Record<string, string>> {
  const lists = await readFormLists(event)
  return Object.fromEntries(Object.entries(lists).map(([key, values]) => [key, values[0]!]))
}

/** Answers a form POST: what its page shows next, then a 303 redirect to that page. */
export async function redirectWithFlash(event: H3Event, location: string, flash: FormFlash) {
  const data = Buffer.from(JSON.stringify(flash)).toString('base64url')
  setCookie(event, FLASH_COOKIE, `${data}.${hmac(event, 'flash', data)}`, {
    ...privateCookieOptions(event),
    path: flashPath(location),
    maxAge: 300,
  })
  return sendRedirect(event, location, 303)
}

/** What the last form POST left for this page (once), or null. */
export function takeFlash(event: H3Event): FormFlash | null {
  const cookie = getCookie(event, FLASH_COOKIE)
  if (!cookie)
    return null
  deleteCookie(event, FLASH_COOKIE, {
    ...privateCookieOptions(event),
    path: flashPath(event.path),
  })
  const [data = '', signature = ''] = cookie.split('.')
  if (!signature || !sameText(signature, hmac(event, 'flash', data)))
    return null
  try {
    return JSON.parse(Buffer.from(data, 'base64url').toString('utf8')) as FormFlash
  }
  catch {
    return null
  }
}

/** A plausible email address (the CMS has the final word). */
export function isEmail(value: string): boolean {
  return value.length <= 254 && /^[^\s@]+@[^\s@][^\s.@]*\.[^\s@]+$/.test(value)
}

/** "5 minutes" (at least one) from a Retry-After in seconds. */
export function waitText(seconds: number | null): string {
  const minutes = Math.max(1, Math.ceil((seconds ?? 900) / 60))
  return minutes === 1
    ? '1 minute'
    : `${minutes} minutes`
}

export const MIN_PASSWORD_LENGTH = 12
const MAX_PASSWORD_LENGTH = 200

/** Checks a new password and its confirmation; the messages name what to do. */
export function newPasswordErrors(password: string, confirm: string) {
  const errors: { field: string, message: string }[] = []
  if (!password)
    errors.push({ field: 'password', message: 'Enter a new password' })
  else if (password.length < MIN_PASSWORD_LENGTH)
    errors.push({ field: 'password', message: `Your password must be at least ${MIN_PASSWORD_LENGTH} characters long` })
  else if (password.length > MAX_PASSWORD_LENGTH)
    errors.push({ field: 'password', message: `Your password must be ${MAX_PASSWORD_LENGTH} characters or fewer` })
  if (password && !errors.length && confirm !== password)
    errors.push({ field: 'confirm', message: 'The two passwords do not match: enter the same password twice' })
  return errors
}

export const SERVICE_UNAVAILABLE = 'The sign-in service is not available at the moment. Please try again in a few minutes.'

/** Tokens from invitation and reset links, as the CMS writes them into the mail. */
export function isLinkToken(value: unknown): value is string {
  return typeof value === 'string' && /^[\w-]{16,256}$/.test(value)
}

const SET_PASSWORD = {
  'invitation': {
    page: '/private-area/invitation',
    check: 'invitation',
    accept: 'invitation/accept',
    welcome: 'Welcome to the ISECG Private Area. Your password is set and you are signed in.',
  },
  'reset-password': {
    page: '/private-area/reset-password',
    check: 'password/reset',
    accept: 'password/reset',
    welcome: 'Your new password is set and you are signed in. Any other session on this account has been signed out.',
  },
} as const

/**
 * The two "choose a password" forms (invitation, reset link): checks the password, hands it with the
 * link's token to the CMS, and signs the member in. A refused token and a refused password get
 * different messages: after a 400 the CMS is asked whether the link itself is still valid.
 */
export async function handleSetPassword(event: H3Event, form: 'invitation' | 'reset-password') {
  const fields = await readFormPost(event)
  const { page, check, accept, welcome } = SET_PASSWORD[form]
  const token = fields.token
  if (!isLinkToken(token))
    throw createError({ statusCode: 404, statusMessage: 'Not Found' })
  const back = (errors: { field: string, message: string }[], status: number) =>
    redirectWithFlash(event, `${page}/${token}`, { form, errors, status })

  const password = fields.password ?? ''
  const errors = newPasswordErrors(password, fields.confirm ?? '')
  if (errors.length)
    return back(errors, 400)

  const answer = await memberAuth<SignedIn>(event, accept, {
    body: { token, password },
  })
  const member = signedIn(answer)
  if (member) {
    await startMemberSession(event, member)
    return redirectWithFlash(event, '/private-area', { form, notice: welcome })
  }
  if (answer.status === 429) {
    return back([
      { field: 'password', message: `Too many attempts. Try again in ${waitText(answer.retryAfter)}.` },
    ], 429)
  }
  if (answer.status === 400 || answer.status === 404) {
    // the page itself explains an expired or used link
    const link = await memberAuth(event, `${check}/${token}`)
    if (link.status === 404)
      return sendRedirect(event, `${page}/${token}`, 303)
    return back([
      { field: 'password', message: 'This password was not accepted. Choose a longer one that is not easy to guess, for example three or four unrelated words.' },
    ], 400)
  }
  return back([
    { field: 'password', message: SERVICE_UNAVAILABLE },
  ], 503)
}

/** { email } for a valid invitation or reset link; 404 when it is unknown, used or expired. */
export async function linkStatus(event: H3Event, check: 'invitation' | 'password/reset'): Promise<{ email: string }> {
  const token = getRouterParam(event, 'token')
  if (!isLinkToken(token))
    throw createError({ statusCode: 404, statusMessage: 'Not Found' })
  const answer = await memberAuth<{ email: string }>(event, `${check}/${token}`)
  if (answer.status === 200 && typeof answer.data?.email === 'string')
    return { email: answer.data.email }
  if (answer.status === 404 || answer.status === 400)
    throw createError({ statusCode: 404, statusMessage: 'Not Found' })
  throw createError({ statusCode: 503, statusMessage: 'Service Unavailable' })
}
