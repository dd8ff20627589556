/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com): `v1,<base64 HMAC-SHA256>` over
 * `<webhook-id>.<webhook-timestamp>.<body>`, keyed with the secret's bytes (`whsec_<base64>`).
 */
import { createHmac, randomBytes } from 'node:crypto'

const PREFIX = 'whsec_'

/** A new secret in the format both sides read: `whsec_` and 32 random bytes in base64. */
export function newWebhookSecret(): string {
  return `${PREFIX}${randomBytes(32).toString('base64')}`
}

/** The key bytes of a `whsec_…` secret; null when it is not one. */
export function secretKey(secret: string): Buffer | null {
  if (!secret.startsWith(PREFIX))
    return null
  const key = Buffer.from(secret.slice(PREFIX.length), 'base64')
  return key.length >= 24
    ? key
    : null
}

/** The three headers of a signed request. `timestamp` is in seconds. */
export function signedHeaders(key: Buffer, id: string, timestamp: number, body: string): Record<string, string> {
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': `v1,${signature}`,
  }
}
