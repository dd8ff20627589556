/**
 * Preview of drafts from the CMS admin (README "Preview"; docs/security.md "Preview").
 *
 * The admin's preview opens `/api/preview?secret=<NUXT_PREVIEW_SECRET>&path=/news/<slug>&status=draft`
 * (server/api/preview/index.get.ts). With the right secret and a site-relative path, the browser
 * gets a short-lived preview cookie and is sent to the path. While the cookie is valid
 * (server/middleware/preview.ts puts it on `event.context.preview`):
 *  - the site's CMS reads ask for drafts with the preview credential (NUXT_CMS_PREVIEW_TOKEN, sent as
 *    X-Preview-Token; server only), never through the CMS read cache (server/utils/cms.ts);
 *  - the page cache is neither read nor written (server/plugins/page-cache.ts);
 *  - every response is `Cache-Control: no-store`, `X-Robots-Tag: noindex`, and may be framed by the
 *    CMS admin's origin only (server/plugins/preview.ts, through `event.context.security`).
 *
 * The cookie holds the status and the expiry, signed with an HMAC keyed by the preview secret: a
 * visitor cannot make one, and changing the secret ends every preview. The pure functions here are
 * unit tested (test/unit/preview.test.ts).
 */
import type { H3Event } from 'h3'
import type { PreviewStatus } from '../../shared/types/preview'
import { createHmac, timingSafeEqual } from 'node:crypto'
import { sameSecret } from './site-key'

export const PREVIEW_COOKIE = 'isecg-preview'

/** How long a preview lasts after the admin opened it (the cookie's Max-Age and signed expiry). */
export const PREVIEW_MAX_AGE_SECONDS = 60 * 60

/** Shortest secret and token accepted: shorter ones switch preview off rather than weaken it. */
export const PREVIEW_SECRET_MIN_LENGTH = 32

/** A preview the request is in, as the cookie says. */
export interface PreviewSession {
  status: PreviewStatus
  /** ms since the epoch */
  expiresAt: number
}

export interface PreviewSettings {
  /** NUXT_PREVIEW_SECRET: the CMS's PREVIEW_SECRET, in the URL the admin opens; keys the cookie's HMAC. */
  secret: string
  /** NUXT_CMS_PREVIEW_TOKEN: the CMS's PREVIEW_TOKEN, sent as X-Preview-Token to read drafts. */
  token: string
  /** The CMS admin's origin (NUXT_CMS_ADMIN_ORIGIN, else that of NUXT_CMS_URL): the only one that may frame a preview. */
  adminOrigin: string | null
}

export function isPreviewStatus(value: unknown): value is PreviewStatus {
  return value === 'draft' || value === 'published'
}

/** Whether `given` is the configured secret (constant time; a missing or short configured secret matches nothing). */
export function previewSecretMatches(given: unknown, configured: string | undefined): boolean {
  if (typeof given !== 'string' || !configured || configured.length < PREVIEW_SECRET_MIN_LENGTH)
    return false
  return sameSecret(given, configured)
}

// Any C0 or C1 control character, backslash or white space (tab and newlines are silently dropped
// by URL parsers, and browsers read a backslash as a slash: `/\evil.com` is `//evil.com`).
// eslint-disable-next-line no-control-regex
const UNSAFE_PATH_CHARACTER = /[\u0000-\u001F\u007F-\u009F\\\s]/
const BASE = 'http://preview.invalid'

/**
 * The site-relative path a preview may be sent to, normalised (dot segments resolved, characters
 * percent-encoded as a browser would), or null: anything that is not a string starting with one
 * `/`, holds a backslash, white space or a control character, or would leave the site once
 * resolved (`//evil.com`, `/\evil.com`, `/a/..//evil.com`, `https://evil.com`, `javascript:`).
 */
export function previewPath(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048)
    return null
  if (!value.startsWith('/') || value.startsWith('//') || UNSAFE_PATH_CHARACTER.test(value))
    return null
  let url: URL
  try {
    url = new URL(value, BASE)
  }
  catch {
    return null
  }
  const path = `${url.pathname}${url.search}${url.hash}`
  if (url.origin !== BASE || !path.startsWith('/') || path.startsWith('//'))
    return null
  return path
}

function signature(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(`isecg-preview:${payload}`).digest('base64url')
}

/** The cookie value for a preview: `v1.<status>.<expiresAt>.<HMAC>`. */
export function sealPreview(secret: string, session: PreviewSession): string {
  const payload = `v1.${session.status}.${session.expiresAt}`
  return `${payload}.${signature(secret, payload)}`
}

const SEALED = /^v1\.(draft|published)\.(\d{1,15})\.([\w-]{43})$/

/** The preview a cookie value stands for, or null: not signed with `secret`, malformed or expired. */
export function openPreview(secret: string, value: string | undefined, now = Date.now()): PreviewSession | null {
  if (!value || secret.length < PREVIEW_SECRET_MIN_LENGTH)
    return null
  const match = SEALED.exec(value)
  if (!match)
    return null
  const [, status, expires, given] = match
  const expected = signature(secret, `v1.${status}.${expires}`)
  if (!timingSafeEqual(Buffer.from(given!), Buffer.from(expected)))
    return null
  const expiresAt = Number(expires)
  if (expiresAt <= now || expiresAt > now + PREVIEW_MAX_AGE_SECONDS * 1000)
    return null
  return { status: status as PreviewStatus, expiresAt }
}

/** Preview settings from runtime config, or null when preview is off (secret or token missing or short). */
export function previewSettings(): PreviewSettings | null {
  const config = useRuntimeConfig()
  const secret = String(config.previewSecret ?? '')
  const token = String(config.cmsPreviewToken ?? '')
  if (secret.length < PREVIEW_SECRET_MIN_LENGTH || token.length < PREVIEW_SECRET_MIN_LENGTH)
    return null
  return {
    secret,
    token,
    adminOrigin: httpOrigin(String(config.cmsAdminOrigin ?? '')) ?? httpOrigin(cmsOrigin()),
  }
}

/** Attributes of the preview cookie: httpOnly, SameSite=Lax, Secure on an https site, the whole site. */
export function previewCookieOptions(event: H3Event) {
  return {
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: siteOrigin(event).startsWith('https://'),
    path: '/',
  }
}

/**
 * The headers of every response given in a preview: never stored by any cache, kept out of search
 * engines, framable by the CMS admin only (the CSP's frame-ancestors is set from
 * `event.context.security`, so X-Frame-Options, which cannot name an origin, goes).
 */
export function setPreviewHeaders(event: H3Event) {
  setResponseHeaders(event, {
    'cache-control': 'no-store',
    'x-robots-tag': 'noindex',
  })
  if (event.context.security?.frameAncestors?.length)
    removeResponseHeader(event, 'x-frame-options')
}
