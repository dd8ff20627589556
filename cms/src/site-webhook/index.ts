/**
 * The site's content webhook (README, "Editors"): when an entry the public site shows is published,
 * unpublished, changed while published or deleted, every site instance in SITE_WEBHOOK_URLS gets a
 * signed POST (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature, keyed with
 * SITE_WEBHOOK_SECRET) and drops the cached pages and CMS reads that could show it.
 *
 * Delivery goes through the outbox of src/webhooks/queue.ts (shared with the agencies' webhooks):
 * a failed delivery is retried after SITE_WEBHOOK_RETRY_BASE_MS * 2^(attempt - 1) ms, at most one
 * hour apart, up to SITE_WEBHOOK_MAX_ATTEMPTS, by whichever instance claims it first.
 */
import type { Core } from '@strapi/strapi'
import { policyOf } from '../content-api/policy'
import { positiveSetting } from '../utils/env'
import { queueTable, WebhookQueue } from '../webhooks/queue'
import { secretKey } from './signing'

export const WEBHOOK_TABLE = 'isecg_site_webhooks'

export interface WebhookSettings {
  urls: string[]
  key: Buffer | null
  pollMs: number
  retryBaseMs: number
  maxAttempts: number
  timeoutMs: number
  leaseMs: number
}

export function webhookSettings(env: NodeJS.ProcessEnv = process.env): WebhookSettings {
  const urls = (env.SITE_WEBHOOK_URLS ?? '').split(',').map(url => url.trim()).filter(Boolean)
  for (const url of urls) {
    let parsed: URL
    try {
      parsed = new URL(url)
    }
    catch {
      throw new Error(`SITE_WEBHOOK_URLS: "${url}" is not a URL`)
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
      throw new Error(`SITE_WEBHOOK_URLS: "${url}" is not an http(s) URL`)
  }
  const key = secretKey(env.SITE_WEBHOOK_SECRET ?? '')
  if (urls.length > 0 && !key)
    throw new Error('SITE_WEBHOOK_SECRET must be a Standard Webhooks secret (whsec_ and at least 24 bytes in base64) when SITE_WEBHOOK_URLS is set')
  return {
    urls,
    key,
    pollMs: positiveSetting(env.SITE_WEBHOOK_POLL_MS, 5000),
    retryBaseMs: positiveSetting(env.SITE_WEBHOOK_RETRY_BASE_MS, 5000),
    maxAttempts: Math.floor(positiveSetting(env.SITE_WEBHOOK_MAX_ATTEMPTS, 12)),
    timeoutMs: positiveSetting(env.SITE_WEBHOOK_TIMEOUT_MS, 10_000),
    leaseMs: positiveSetting(env.SITE_WEBHOOK_LEASE_MS, 60_000),
  }
}

/** What a document action means for the site, or null when the site cannot see a difference. */
export function webhookType(action: string, params: { status?: string } | undefined, draftAndPublish: boolean): string | null {
  switch (action) {
    case 'publish':
      return 'content.published'
    case 'unpublish':
      return 'content.unpublished'
    case 'delete':
      return 'content.deleted'
    case 'create':
    case 'update':
    case 'clone':
      // with draft and publish, saving changes the draft only, unless the published version is written
      return !draftAndPublish || params?.status === 'published'
        ? 'content.updated'
        : null
    default:
      return null
  }
}

/** Types the public site shows: `api::` types that anonymous callers may read. */
export function shownOnSite(uid: string): boolean {
  return uid.startsWith('api::') && !policyOf(uid).membersOnly
}

export class SiteWebhooks {
  private readonly queue: WebhookQueue

  constructor(strapi: Core.Strapi, readonly settings: WebhookSettings) {
    this.queue = new WebhookQueue(strapi, WEBHOOK_TABLE, {
      ...settings,
      maxWaitMs: 3600_000,
    }, {
      name: 'site webhook',
      keyFor: async () => settings.key ?? { skip: 'SITE_WEBHOOK_SECRET is not set' },
    })
  }

  /** configured and started (bootstrap done: the seed of an empty database sends nothing) */
  get enabled() {
    return !this.queue.stopped && this.settings.urls.length > 0 && this.settings.key !== null
  }

  /** Records one notification per site URL in the current transaction; sends them after it commits. */
  async enqueue(type: string, data: Record<string, unknown>): Promise<void> {
    if (!this.enabled)
      return
    const body = JSON.stringify({
      type,
      timestamp: new Date().toISOString(),
      data,
    })
    await this.queue.enqueue(this.settings.urls.map(url => ({ url, body })))
  }

  start() {
    if (this.settings.urls.length === 0 || !this.settings.key)
      return
    this.queue.start()
  }

  stop() {
    return this.queue.stop()
  }

  /** One pass: sends what is due (retries included); returns how many were delivered. */
  runOnce(): Promise<number> {
    return this.queue.runOnce()
  }
}

const instances = new WeakMap<Core.Strapi, SiteWebhooks>()

export function siteWebhooks(strapi: Core.Strapi): SiteWebhooks | undefined {
  return instances.get(strapi)
}

/** Register phase: the Document Service middleware that records what the site must hear of. */
export function registerSiteWebhooks(strapi: Core.Strapi): void {
  const webhooks = new SiteWebhooks(strapi, webhookSettings())
  instances.set(strapi, webhooks)
  strapi.documents.use(async (context, next) => {
    const result = await next()
    if (!webhooks.enabled || !shownOnSite(context.uid))
      return result
    const contentType = strapi.contentTypes[context.uid] as { options?: { draftAndPublish?: boolean } } | undefined
    const params = context.params as { documentId?: string, status?: string, locale?: string } | undefined
    const type = webhookType(context.action, params, contentType?.options?.draftAndPublish === true)
    if (!type)
      return result
    const documentId = params?.documentId ?? (result as { documentId?: string } | null)?.documentId ?? null
    await webhooks.enqueue(type, {
      model: context.uid,
      documentId,
      action: context.action,
    })
    return result
  })
}

/** Bootstrap phase: the table, then delivery (and what earlier runs left undelivered). */
export async function startSiteWebhooks(strapi: Core.Strapi): Promise<void> {
  await queueTable(strapi, WEBHOOK_TABLE)
  siteWebhooks(strapi)?.start()
}

export async function stopSiteWebhooks(strapi: Core.Strapi): Promise<void> {
  await siteWebhooks(strapi)?.stop()
}
