import { Webhook } from 'standardwebhooks'

/**
 * POST /api/cache/webhook: the CMS's content webhook (cms/src/site-webhook). A Standard Webhooks
 * request (webhook-id, webhook-timestamp, webhook-signature: HMAC-SHA256 with
 * NUXT_CONTENT_WEBHOOK_SECRET, the CMS's SITE_WEBHOOK_SECRET) says that an entry the site shows
 * was published, unpublished, changed or deleted; the site then drops its cached pages and CMS
 * reads (invalidateContentCaches), so every page that can show the entry (its own, the lists, Home,
 * topic pages, /feed.xml, /sitemap.xml) is rendered from fresh content on its next request.
 *
 * 204 when done; 401 for a missing or wrong signature or a timestamp more than 5 minutes away
 * (nothing is purged); 404 when no secret is configured; 413 for a body over 64 kB.
 */
const MAX_BYTES = 64 * 1024

export default defineEventHandler(async (event) => {
  const secret = useRuntimeConfig().contentWebhookSecret
  if (!secret)
    throw createError({ statusCode: 404, statusMessage: 'Not Found' })
  if (Number(getRequestHeader(event, 'content-length') ?? 0) > MAX_BYTES)
    throw createError({ statusCode: 413, statusMessage: 'Payload Too Large' })
  const body = (await readRawBody(event, 'utf8')) ?? ''
  if (Buffer.byteLength(body) > MAX_BYTES)
    throw createError({ statusCode: 413, statusMessage: 'Payload Too Large' })
  let message: { type?: unknown }
  try {
    // checks the signature and that the timestamp is within 5 minutes of now
    message = new Webhook(secret).verify(body, {
      'webhook-id': getRequestHeader(event, 'webhook-id') ?? '',
      'webhook-timestamp': getRequestHeader(event, 'webhook-timestamp') ?? '',
      'webhook-signature': getRequestHeader(event, 'webhook-signature') ?? '',
    }) as { type?: unknown }
  }
  catch {
    throw createError({ statusCode: 401, statusMessage: 'Unauthorized' })
  }
  if (typeof message?.type !== 'string' || !message.type.startsWith('content.'))
    throw createError({ statusCode: 422, statusMessage: 'Unprocessable Entity', message: 'Not a content event.' })
  invalidateContentCaches()
  setResponseStatus(event, 204)
  return null
})
