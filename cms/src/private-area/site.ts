/**
 * The site as the CMS sees it: where its pages are (SITE_URL, for the links in members' mails) and
 * how its server proves itself (X-Site-Key = SITE_API_KEY), which is also the only case in which
 * the CMS believes an X-Forwarded-For header. Read from the environment when used.
 */
import { isIP } from 'node:net'
import { matchesSecret } from '../content-api/caller'

export const SITE_KEY_HEADER = 'x-site-key'

/** Shortest SITE_API_KEY accepted: a shorter one disables the member endpoints (every call 401). */
export const SITE_KEY_MIN_LENGTH = 32

const DEVELOPMENT_SITE_URL = 'http://localhost:3000'

/** The site's base URL, without a trailing slash. Required in production. */
export function siteUrl(): string {
  const configured = process.env.SITE_URL?.trim()
  if (configured)
    return configured.replace(/\/+$/, '')
  if (process.env.NODE_ENV === 'production')
    throw new Error('SITE_URL must be set in production: the links in members\' mails point at the site')
  return DEVELOPMENT_SITE_URL
}

interface HeaderSource {
  request: { headers: Record<string, string | string[] | undefined> }
  req: { socket: { remoteAddress?: string } }
}

function header(ctx: HeaderSource, name: string): string | undefined {
  const value = ctx.request.headers[name]
  return Array.isArray(value)
    ? value[0]
    : value
}

/** Whether the request carries the site's key (constant-time comparison). */
export function isSiteRequest(ctx: HeaderSource, configured = process.env.SITE_API_KEY): boolean {
  return matchesSecret(header(ctx, SITE_KEY_HEADER), configured, SITE_KEY_MIN_LENGTH)
}

function normalizeAddress(address: string | undefined): string {
  const value = (address ?? '').trim()
  // IPv4 clients of a dual-stack socket appear as ::ffff:a.b.c.d
  return value.toLowerCase().startsWith('::ffff:') && isIP(value.slice(7)) === 4
    ? value.slice(7)
    : value
}

/**
 * The client's address for rate limits: the left-most X-Forwarded-For entry when the request
 * carries the site's key (the site's server forwards its visitor's address), the socket address
 * otherwise (anyone can write an X-Forwarded-For header).
 */
export function clientAddress(ctx: HeaderSource): string {
  if (isSiteRequest(ctx)) {
    const forwarded = normalizeAddress(header(ctx, 'x-forwarded-for')?.split(',')[0])
    if (isIP(forwarded))
      return forwarded
  }
  return normalizeAddress(ctx.req.socket.remoteAddress) || 'unknown'
}

/** On start: SITE_URL is required in production; a missing or short SITE_API_KEY is reported. */
export function checkSiteSettings(strapi: { log: { warn: (message: string) => void } }): void {
  siteUrl()
  if ((process.env.SITE_API_KEY ?? '').length < SITE_KEY_MIN_LENGTH)
    strapi.log.warn(`private area: SITE_API_KEY is missing or shorter than ${SITE_KEY_MIN_LENGTH} characters; /api/member-auth and /api/member-files answer 401 to everyone`)
}
