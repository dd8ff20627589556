import type { H3Event } from 'h3'
import { createHash, timingSafeEqual } from 'node:crypto'

const digest = (text: string) => createHash('sha256').update(text).digest()

/** Compares a secret presented by a caller with the configured one in constant time (false when none is configured). */
export function sameSecret(given: string, expected: string): boolean {
  return expected.length > 0 && timingSafeEqual(digest(given), digest(expected))
}

/**
 * For operators' endpoints (/api/cache/*): a caller without `X-Site-Key: <NUXT_SITE_API_KEY>` gets
 * a 404, so that the endpoint does not advertise itself.
 */
export function requireSiteKey(event: H3Event): void {
  if (!sameSecret(getRequestHeader(event, 'x-site-key') ?? '', useRuntimeConfig().siteApiKey))
    throw createError({ statusCode: 404, statusMessage: 'Not Found' })
}
