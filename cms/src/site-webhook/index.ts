/**
 * The site's content webhook (README, "Editors"): when an entry the public site shows is published,
 * unpublished, changed while published or deleted, every site instance in SITE_WEBHOOK_URLS gets a
 * signed POST (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature, keyed with
 * SITE_WEBHOOK_SECRET) and drops the cached pages and CMS reads that could show it.
 *
 * Delivery goes through a table, not process memory: the change and its notifications commit in
 * the same transaction (a crash cannot lose one, and nothing is sent for a change that rolled
 * back); after the commit this instance sends at once; a failed delivery (network error, timeout,
 * non-2xx answer) is retried with backoff (SITE_WEBHOOK_RETRY_BASE_MS * 2^(attempt - 1), at most
 * one hour apart) up to SITE_WEBHOOK_MAX_ATTEMPTS, by whichever instance claims it first (a lease
 * in the row, so two instances never send the same attempt). Every attempt is signed anew: the
 * timestamp is the attempt's, the webhook-id stays the same.
 */
import type { Core } from '@strapi/strapi'
import { randomBytes, randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import { policyOf } from '../content-api/policy'
import { ensureTable, qualified, rowsOf } from '../notifications/outbox'
import { positiveSetting } from '../utils/env'
import { secretKey, signedHeaders } from './signing'

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

interface Claimed {
  id: number
  messageId: string
  url: string
  body: string
  attempts: number
}

const isPostgres = (strapi: Core.Strapi) => strapi.db.dialect.client === 'postgres'

export class SiteWebhooks {
  private timer: NodeJS.Timeout | undefined
  private running: Promise<void> | undefined
  private again = false
  private stopped = true
  private readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`
  private readonly table: string

  constructor(private readonly strapi: Core.Strapi, readonly settings: WebhookSettings) {
    this.table = qualified(strapi, WEBHOOK_TABLE)
  }

  /** configured and started (bootstrap done: the seed of an empty database sends nothing) */
  get enabled() {
    return !this.stopped && this.settings.urls.length > 0 && this.settings.key !== null
  }

  /** Records one notification per site URL in the current transaction; sends them after it commits. */
  async enqueue(type: string, data: Record<string, unknown>): Promise<void> {
    if (!this.enabled)
      return
    const now = Date.now()
    const body = JSON.stringify({
      type,
      timestamp: new Date(now).toISOString(),
      data,
    })
    await this.strapi.db.transaction(async ({ trx, onCommit }) => {
      await trx(this.table).insert(this.settings.urls.map(url => ({
        message_id: `msg_${randomUUID()}`,
        url,
        body,
        attempts: 0,
        next_attempt_at: now,
        created_at: now,
      })))
      onCommit(() => this.kick())
    })
  }

  start() {
    if (this.settings.urls.length === 0 || !this.settings.key)
      return
    this.stopped = false
    this.schedule(0)
  }

  async stop() {
    this.stopped = true
    clearTimeout(this.timer)
    await this.running
  }

  /** Sends what is due now (a change just committed). */
  kick() {
    if (this.stopped)
      return
    if (this.running) {
      this.again = true
      return
    }
    clearTimeout(this.timer)
    this.running = this.runOnce().then(() => undefined, (error: unknown) => {
      this.strapi.log.error(`site webhook: ${(error as Error)?.message ?? String(error)}`)
    }).finally(() => {
      this.running = undefined
      if (this.again) {
        this.again = false
        this.kick()
      }
      else {
        this.schedule(this.settings.pollMs)
      }
    })
  }

  private schedule(ms: number) {
    if (this.stopped)
      return
    clearTimeout(this.timer)
    this.timer = setTimeout(() => this.kick(), ms)
    this.timer.unref()
  }

  /** One pass: claims what is due (retries included) and sends it; returns how many were sent. */
  async runOnce(): Promise<number> {
    let sent = 0
    for (;;) {
      const rows = await this.claim(20)
      if (rows.length === 0)
        break
      await Promise.all(rows.map(async (row) => {
        if (await this.deliver(row))
          sent++
      }))
      if (this.stopped)
        break
    }
    // delivered notifications are kept a week for inspection
    await this.strapi.db.getConnection(WEBHOOK_TABLE).where('delivered_at', '<', Date.now() - 7 * 24 * 3600_000).delete()
    return sent
  }

  private async claim(limit: number): Promise<Claimed[]> {
    const now = Date.now()
    const lock = isPostgres(this.strapi)
      ? 'for update skip locked'
      : ''
    const result = await this.strapi.db.connection.raw(
      `update ?? set locked_by = ?, locked_until = cast(? as bigint), attempts = attempts + 1
       where id in (
         select id from ??
         where delivered_at is null and failed_at is null and next_attempt_at <= cast(? as bigint)
           and (locked_until is null or locked_until <= cast(? as bigint))
         order by id
         limit ?
         ${lock}
       )
       returning id, message_id, url, body, attempts`,
      [
        this.table,
        this.owner,
        now + this.settings.leaseMs,
        this.table,
        now,
        now,
        limit,
      ],
    )
    return rowsOf(result).map(row => ({
      id: Number(row.id),
      messageId: String(row.message_id),
      url: String(row.url),
      body: String(row.body),
      attempts: Number(row.attempts),
    }))
  }

  private async deliver(row: Claimed): Promise<boolean> {
    const timestamp = Math.floor(Date.now() / 1000)
    let error: string | null = null
    try {
      const response = await fetch(row.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'ISECG-CMS-webhook',
          ...signedHeaders(this.settings.key!, row.messageId, timestamp, row.body),
        },
        body: row.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      })
      await response.arrayBuffer().catch(() => undefined)
      if (response.status < 200 || response.status >= 300)
        error = `the site answered ${response.status}`
    }
    catch (cause) {
      error = (cause as Error)?.message ?? String(cause)
    }
    const mine = this.strapi.db.getConnection(WEBHOOK_TABLE).where({ id: row.id, locked_by: this.owner })
    if (error === null) {
      await mine.update({
        delivered_at: Date.now(),
        locked_by: null,
        locked_until: null,
        last_error: null,
      })
      return true
    }
    const text = error.replace(/\s+/g, ' ').slice(0, 500)
    if (row.attempts >= this.settings.maxAttempts) {
      this.strapi.log.error(`site webhook: ${row.url} gave up on ${row.messageId} after ${row.attempts} attempts: ${text}`)
      await mine.update({
        failed_at: Date.now(),
        locked_by: null,
        locked_until: null,
        last_error: text,
      })
    }
    else {
      const wait = Math.min(this.settings.retryBaseMs * 2 ** (row.attempts - 1), 3600_000)
      this.strapi.log.warn(`site webhook: ${row.url} attempt ${row.attempts} failed (${text}); next in ${Math.round(wait / 1000)} s`)
      await mine.update({
        next_attempt_at: Date.now() + wait,
        locked_by: null,
        locked_until: null,
        last_error: text,
      })
    }
    return false
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
  await ensureTable(strapi, WEBHOOK_TABLE, (table) => {
    table.increments('id').primary()
    table.string('message_id', 64).notNullable()
    table.string('url', 1000).notNullable()
    table.text('body').notNullable()
    table.integer('attempts').notNullable().defaultTo(0)
    table.bigInteger('next_attempt_at').notNullable()
    table.string('locked_by', 100).nullable()
    table.bigInteger('locked_until').nullable()
    table.bigInteger('delivered_at').nullable()
    table.bigInteger('failed_at').nullable()
    table.string('last_error', 500).nullable()
    table.bigInteger('created_at').notNullable()
    table.index(['delivered_at', 'failed_at', 'next_attempt_at'], 'isecg_site_webhooks_due')
  })
  siteWebhooks(strapi)?.start()
}

export async function stopSiteWebhooks(strapi: Core.Strapi): Promise<void> {
  await siteWebhooks(strapi)?.stop()
}
