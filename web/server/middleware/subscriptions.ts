/**
 * The news subscription pages (/subscribe, /subscribe/**; docs/notifications.md "Site"). They are
 * rendered on the server for one visitor: this middleware hands the CSRF token and the last form's
 * errors to the page (event.context.subscriptions). Responses are never cached, `no-store`,
 * `Referrer-Policy: same-origin` and `noindex` (route rules: the URLs carry tokens).
 *
 * It also answers the one POST a page URL takes: /subscribe/unsubscribe/<token>, the address in
 * every news mail's List-Unsubscribe header. Mail providers post `List-Unsubscribe=One-Click` to it
 * without cookies (RFC 8058), so it has no CSRF check: the token is the authority. Unsubscribing is
 * idempotent; the answer is the page, 200, saying so.
 */
import type { H3Event } from 'h3'

const UNSUBSCRIBE = /^\/subscribe\/unsubscribe\/([^/]+)$/
/** Pages without a form that needs the CSRF token (no cookie is set there). */
const WITHOUT_FORMS = /^\/subscribe\/(?:unsubscribe\/[^/]+|check-your-email)$/

export default defineEventHandler(async (event) => {
  const path = event.path.split('?')[0]!.replace(/\/+$/, '')
  if (path !== '/subscribe' && !path.startsWith('/subscribe/'))
    return

  const unsubscribe = UNSUBSCRIBE.exec(path)
  if (event.method === 'POST' && unsubscribe)
    return oneClickUnsubscribe(event, decodeURIComponent(unsubscribe[1]!))
  if (event.method !== 'GET' && event.method !== 'HEAD') {
    setResponseHeader(event, 'allow', 'GET, HEAD')
    throw createError({ statusCode: 405, statusMessage: 'Method Not Allowed' })
  }

  const flash = takeFlash(event)
  event.context.subscriptions = {
    csrfToken: WITHOUT_FORMS.test(path)
      ? ''
      : csrfToken(event),
    flash,
  }
  if (flash?.status && flash.status >= 400)
    setResponseStatus(event, flash.status)
})

/** The form body of a one-click unsubscribe: urlencoded or multipart, as RFC 8058 allows. */
async function unsubscribeFields(event: H3Event): Promise<Record<string, string>> {
  const type = (getRequestHeader(event, 'content-type') ?? '').toLowerCase()
  const length = Number(getRequestHeader(event, 'content-length') ?? 0)
  if (length > 10_000)
    throw createError({ statusCode: 413, statusMessage: 'Content Too Large' })
  const fields: Record<string, string> = {}
  if (type.startsWith('application/x-www-form-urlencoded')) {
    const body = await readBody<Record<string, unknown>>(event).catch(() => null)
    for (const [key, value] of Object.entries(body ?? {})) {
      const text = Array.isArray(value)
        ? value[0]
        : value
      if (typeof text === 'string')
        fields[key] = text
    }
  }
  else if (type.startsWith('multipart/form-data')) {
    for (const part of await readMultipartFormData(event).catch(() => undefined) ?? []) {
      if (part.name && !part.filename)
        fields[part.name] = part.data.toString('utf8')
    }
  }
  else {
    setResponseHeader(event, 'accept-post', 'application/x-www-form-urlencoded, multipart/form-data')
    throw createError({ statusCode: 415, statusMessage: 'Unsupported Media Type' })
  }
  return fields
}

async function oneClickUnsubscribe(event: H3Event, token: string) {
  if (!isSubscriptionToken(token))
    throw createError({ statusCode: 404, statusMessage: 'Not Found' })
  const fields = await unsubscribeFields(event)
  // a mail provider's one-click POST, or the button of the unsubscribe page itself
  const source = fields['List-Unsubscribe'] === 'One-Click'
    ? 'one_click'
    : fields.unsubscribe === 'yes'
      ? 'preferences'
      : null
  if (!source)
    throw createError({ statusCode: 400, statusMessage: 'Bad Request' })
  const answer = await siteApi(event, 'subscriptions/unsubscribe', {
    body: { token, source },
  })
  if (answer.status === 404 || answer.status === 400)
    throw createError({ statusCode: 404, statusMessage: 'Not Found' })
  if (answer.status !== 200)
    throw createError({ statusCode: 503, statusMessage: 'Service Unavailable' })
  // the page renders (Nuxt's renderer answers any method) and says the address is unsubscribed
  event.context.subscriptions = { csrfToken: '', flash: null, unsubscribed: true }
}
