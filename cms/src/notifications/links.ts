/**
 * The secrets of news notification links (docs/notifications.md):
 *
 * - confirmation tokens: 256 random bits, base64url in the mail link, only their sha256 stored
 *   (subscriber.confirmTokenHash), valid 7 days, single use;
 * - manage tokens (preferences, unsubscribe, List-Unsubscribe): `<subjectRef>.<mac>`, where
 *   subjectRef is the subscriber's random 128-bit reference and mac = HMAC-SHA256 of it under a key
 *   derived from the CMS's secrets. Nothing is stored: every mail of the outbox can carry the link
 *   without keeping a usable token in the database, and a database leak gives no working link;
 * - the consent ledger's client address: an HMAC too (a plain hash of an IPv4 address is reversed
 *   by trying them all).
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/** The key for one purpose, derived from ENCRYPTION_KEY (or APP_KEYS), never the secret itself. */
function key(purpose: string): Buffer {
  const secret = process.env.ENCRYPTION_KEY || process.env.APP_KEYS || ''
  if (!secret)
    throw new Error('ENCRYPTION_KEY or APP_KEYS must be set: news notification links are signed with it')
  return createHmac('sha256', secret).update(`isecg:notifications:${purpose}`).digest()
}

const mac = (purpose: string, value: string) => createHmac('sha256', key(purpose)).update(value).digest('base64url')

export const CONFIRM_TTL_MS = 7 * 24 * 60 * 60 * 1000

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex')
}

/** A new subscriber's reference: 128 random bits (links ledger entries; survives erasure anonymised). */
export function newSubjectRef(): string {
  return randomBytes(16).toString('base64url')
}

/** A new confirmation token and the hash to store. */
export function newConfirmToken(): { token: string, hash: string } {
  const token = randomBytes(32).toString('base64url')
  return {
    token,
    hash: sha256(token),
  }
}

export function isConfirmToken(value: unknown): value is string {
  return typeof value === 'string' && /^[\w-]{43}$/.test(value)
}

/** The token of a subscriber's preferences and unsubscribe links. */
export function manageToken(subjectRef: string): string {
  return `${subjectRef}.${mac('manage', subjectRef)}`
}

/** The subjectRef a manage token was made for, or null when it was not made by this CMS. */
export function subjectOfManageToken(token: unknown): string | null {
  if (typeof token !== 'string' || !/^[\w-]{22}\.[\w-]{43}$/.test(token))
    return null
  const [subjectRef = '', given = ''] = token.split('.')
  const expected = Buffer.from(mac('manage', subjectRef))
  const actual = Buffer.from(given)
  return actual.length === expected.length && timingSafeEqual(actual, expected)
    ? subjectRef
    : null
}

/** What the ledger keeps of a client address. */
export function clientHash(address: string): string {
  return mac('client', address).slice(0, 32)
}
