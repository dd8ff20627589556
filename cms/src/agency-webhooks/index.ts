/**
 * Webhooks to agencies (README, "Webhooks for agencies"): editors register an agency's endpoint in
 * the admin (Agency webhook: agency, https URL, the events it wants); the CMS then POSTs a signed
 * message (Standard Webhooks) when public content is published:
 *
 * - `news.published`: a public news article is published (a members-only one sends nothing);
 * - `publication.published`: a public publication is published for the first time (or again after
 *   an unpublish, or was members-only before);
 * - `publication.updated`: a published public publication is published again with changes;
 * - `publication.superseded`: a publication is published that supersedes another public one; the
 *   message is about the superseded one and names its successor.
 *
 * The secret (`whsec_…`) is generated when the endpoint is created, stored encrypted (Strapi's
 * admin encryption service, ENCRYPTION_KEY) in a private field, and shown once
 * (POST /isecg/agency-webhooks/:documentId/secret, the "Show signing secret" action of the edit
 * view). Delivery: src/webhooks/queue.ts (outbox in the change's transaction, one claim per
 * attempt across instances, exponential backoff for up to 24 hours) through the SSRF guard of
 * src/webhooks/target.ts. An endpoint is disabled after AGENCY_WEBHOOK_DISABLE_AFTER consecutive
 * events given up; the endpoint's counters are its delivery log in the admin.
 */
import type { Core } from '@strapi/strapi'
import type { AdminContext } from '../utils/admin-route'
import { errors } from '@strapi/utils'
import { siteUrl } from '../private-area/site'
import { newWebhookSecret, secretKey } from '../site-webhook/signing'
import { refuse } from '../utils/admin-route'
import { positiveSetting } from '../utils/env'
import { queueTable, WebhookQueue } from '../webhooks/queue'
import { guardedPost, urlProblem } from '../webhooks/target'

export const AGENCY_WEBHOOK_UID = 'api::agency-webhook.agency-webhook'
export const AGENCY_WEBHOOK_TABLE = 'isecg_agency_webhook_messages'
const ENDPOINTS = 'agency_webhooks'
const NEWS_UID = 'api::news-article.news-article'
const PUBLICATION_UID = 'api::publication.publication'

export const EVENTS = {
  'news.published': 'newsPublished',
  'publication.published': 'publicationPublished',
  'publication.updated': 'publicationUpdated',
  'publication.superseded': 'publicationSuperseded',
} as const
export type AgencyEvent = keyof typeof EVENTS

/** The delivery log on an endpoint: kept by the CMS, read by editors (src/bootstrap/editor-access.ts). */
export const AGENCY_WEBHOOK_LOG_FIELDS = [
  'secretShownAt',
  'consecutiveFailures',
  'delivered',
  'failed',
  'lastStatus',
  'lastAttempts',
  'lastError',
  'lastAttemptAt',
  'lastDeliveredAt',
  'disabledReason',
] as const

/** Fields the CMS maintains: an admin write never sets them. */
const CMS_MAINTAINED = ['secret', ...AGENCY_WEBHOOK_LOG_FIELDS] as const

export interface AgencyWebhookSettings {
  allowPrivate: boolean
  pollMs: number
  retryBaseMs: number
  maxWaitMs: number
  maxAgeMs: number
  timeoutMs: number
  leaseMs: number
  disableAfter: number
}

export function agencyWebhookSettings(env: NodeJS.ProcessEnv = process.env): AgencyWebhookSettings {
  return {
    allowPrivate: env.AGENCY_WEBHOOK_ALLOW_PRIVATE_TARGETS === 'true',
    pollMs: positiveSetting(env.AGENCY_WEBHOOK_POLL_MS, 5000),
    retryBaseMs: positiveSetting(env.AGENCY_WEBHOOK_RETRY_BASE_MS, 60_000),
    maxWaitMs: positiveSetting(env.AGENCY_WEBHOOK_MAX_WAIT_MS, 4 * 3600_000),
    maxAgeMs: positiveSetting(env.AGENCY_WEBHOOK_MAX_AGE_MS, 24 * 3600_000),
    timeoutMs: positiveSetting(env.AGENCY_WEBHOOK_TIMEOUT_MS, 10_000),
    leaseMs: positiveSetting(env.AGENCY_WEBHOOK_LEASE_MS, 60_000),
    disableAfter: Math.floor(positiveSetting(env.AGENCY_WEBHOOK_DISABLE_AFTER, 3)),
  }
}

interface Encryption {
  encrypt: (value: string) => string | null
  decrypt: (value: string) => string | null
}
const encryption = (strapi: Core.Strapi) => strapi.service('admin::encryption') as unknown as Encryption

/** The stored form of a secret: encrypted with ENCRYPTION_KEY, as it is when no key is configured. */
export function sealSecret(strapi: Core.Strapi, secret: string): string {
  return encryption(strapi).encrypt(secret) ?? secret
}

export function openSecret(strapi: Core.Strapi, stored: string | null | undefined): string | null {
  if (!stored)
    return null
  if (stored.startsWith('whsec_'))
    return stored
  try {
    return encryption(strapi).decrypt(stored)
  }
  catch {
    return null
  }
}

interface Entry {
  documentId: string
  slug: string
  title: string
  visibility?: string
  [field: string]: unknown
}

const isPublic = (entry: Entry | null | undefined): entry is Entry => !!entry && entry.visibility === 'public'

/** The published version of a document, with the relation a publication's messages name. */
async function publishedVersion(strapi: Core.Strapi, uid: string, documentId: string): Promise<Entry | null> {
  return await strapi.db.query(uid as never).findOne({
    where: {
      documentId,
      publishedAt: { $notNull: true },
    },
    populate: uid === PUBLICATION_UID
      ? { supersedes: true }
      : {},
  }) as Entry | null
}

function pageUrl(path: string, slug: string): string {
  return `${siteUrl()}/${path}/${encodeURIComponent(slug)}`
}

/** What a message says of an entry: public fields only. */
function newsData(entry: Entry) {
  return {
    documentId: entry.documentId,
    slug: entry.slug,
    title: entry.title,
    url: pageUrl('news', entry.slug),
    date: entry.date ?? null,
    summary: entry.summary ?? null,
    publishedAt: entry.publishedAt ?? null,
  }
}

function reference(entry: Entry | null | undefined) {
  return isPublic(entry)
    ? {
        documentId: entry.documentId,
        slug: entry.slug,
        title: entry.title,
        url: pageUrl('publications', entry.slug),
      }
    : null
}

function publicationData(entry: Entry) {
  return {
    documentId: entry.documentId,
    slug: entry.slug,
    title: entry.title,
    url: pageUrl('publications', entry.slug),
    kind: entry.kind ?? null,
    publicationDate: entry.publicationDate ?? null,
    abstract: entry.abstract ?? null,
    language: entry.language ?? null,
    publishedAt: entry.publishedAt ?? null,
    supersedes: reference(entry.supersedes as Entry | null),
  }
}

/** The events a publish of a document causes, given its published version before and after. */
export function eventsOfPublish(uid: string, before: Entry | null, after: Entry | null): Array<{ type: AgencyEvent, data: Record<string, unknown> }> {
  if (!isPublic(after))
    return []
  if (uid === NEWS_UID) {
    return isPublic(before)
      ? []
      : [
          {
            type: 'news.published',
            data: newsData(after),
          },
        ]
  }
  if (uid !== PUBLICATION_UID)
    return []
  const events: Array<{ type: AgencyEvent, data: Record<string, unknown> }> = [
    {
      type: isPublic(before)
        ? 'publication.updated'
        : 'publication.published',
      data: publicationData(after),
    },
  ]
  const superseded = after.supersedes as Entry | null
  const supersededBefore = (before?.supersedes as Entry | null)?.documentId
  if (isPublic(superseded) && (superseded.documentId !== supersededBefore || !isPublic(before))) {
    events.push({
      type: 'publication.superseded',
      data: {
        ...publicationData(superseded),
        supersedes: undefined,
        supersededBy: reference(after),
      },
    })
  }
  return events
}

interface Endpoint {
  id: number
  documentId: string
  url: string
  enabled: boolean
  secret: string | null
}

export class AgencyWebhooks {
  readonly queue: WebhookQueue

  constructor(private readonly strapi: Core.Strapi, readonly settings: AgencyWebhookSettings) {
    this.queue = new WebhookQueue(strapi, AGENCY_WEBHOOK_TABLE, {
      ...settings,
      maxAttempts: Number.MAX_SAFE_INTEGER,
    }, {
      name: 'agency webhook',
      keyFor: row => this.keyFor(String(row.endpoint_document_id)),
      post: (url, headers, body, timeoutMs) => guardedPost(url, headers, body, timeoutMs, { allowPrivate: settings.allowPrivate }),
      settled: (row, outcome, attempt) => this.record(String(row.endpoint_document_id), row.attempts, outcome, attempt),
    })
  }

  get started() {
    return !this.queue.stopped
  }

  private async keyFor(documentId: string): Promise<Buffer | { skip: string }> {
    const endpoint = await this.strapi.db.query(AGENCY_WEBHOOK_UID as never).findOne({
      where: { documentId },
    }) as Endpoint | null
    if (!endpoint)
      return { skip: 'the endpoint was deleted' }
    if (!endpoint.enabled)
      return { skip: 'the endpoint is disabled' }
    return secretKey(openSecret(this.strapi, endpoint.secret) ?? '') ?? { skip: 'the endpoint\'s secret cannot be read (ENCRYPTION_KEY changed?)' }
  }

  /** The endpoint's log: last attempt, counters; disabled after too many events given up in a row. */
  private async record(documentId: string, attempts: number, outcome: 'delivered' | 'retrying' | 'gave-up' | 'skipped', attempt: { status: number | null, error: string | null }) {
    if (outcome === 'skipped')
      return
    const now = new Date()
    const endpoints = this.strapi.db.query(AGENCY_WEBHOOK_UID as never)
    await endpoints.update({
      where: { documentId },
      data: {
        lastStatus: attempt.status,
        lastError: attempt.error,
        lastAttempts: attempts,
        lastAttemptAt: now,
        ...(outcome === 'delivered'
          ? { lastDeliveredAt: now, consecutiveFailures: 0 }
          : {}),
      },
    })
    if (outcome === 'retrying')
      return
    // counters: one atomic increment each, whichever instance delivered
    const raw = (sql: string) => this.strapi.db.connection.raw(sql)
    await this.strapi.db.getConnection(ENDPOINTS).where({ document_id: documentId }).update(outcome === 'delivered'
      ? {
          delivered: raw('coalesce(delivered, 0) + 1'),
        }
      : {
          failed: raw('coalesce(failed, 0) + 1'),
          consecutive_failures: raw('coalesce(consecutive_failures, 0) + 1'),
        })
    if (outcome !== 'gave-up')
      return
    const endpoint = await endpoints.findOne({
      where: { documentId },
    }) as (Endpoint & { consecutiveFailures: number | null }) | null
    if (endpoint?.enabled && (endpoint.consecutiveFailures ?? 0) >= this.settings.disableAfter) {
      await endpoints.update({
        where: { documentId },
        data: {
          enabled: false,
          disabledReason: `Disabled by the CMS on ${now.toISOString()}: ${this.settings.disableAfter} events in a row were not delivered`,
        },
      })
      this.strapi.log.warn(`agency webhook: endpoint ${documentId} disabled after ${this.settings.disableAfter} events in a row were not delivered`)
    }
  }

  /** Records a message for every enabled endpoint that wants the event (in the current transaction). */
  async enqueue(type: AgencyEvent, data: Record<string, unknown>): Promise<void> {
    if (!this.started)
      return
    const endpoints = await this.strapi.db.query(AGENCY_WEBHOOK_UID as never).findMany({
      where: { enabled: true, [EVENTS[type]]: true },
    }) as Endpoint[]
    const body = JSON.stringify({
      type,
      timestamp: new Date().toISOString(),
      data,
    })
    await this.queue.enqueue(endpoints.map(endpoint => ({
      url: endpoint.url,
      body,
      endpoint_document_id: endpoint.documentId,
      event_type: type,
    })))
  }
}

const instances = new WeakMap<Core.Strapi, AgencyWebhooks>()

export function agencyWebhooks(strapi: Core.Strapi): AgencyWebhooks | undefined {
  return instances.get(strapi)
}

function checkUrl(url: unknown, settings: AgencyWebhookSettings) {
  const problem = typeof url === 'string'
    ? urlProblem(url.trim(), { allowPrivate: settings.allowPrivate })
    : 'is missing'
  if (problem)
    throw new errors.ValidationError(`The webhook URL ${problem}`)
}

/**
 * The Document Service never hands the secret out: the Content Manager (even for Super Admins,
 * whose field permissions include private fields) reads endpoints through it. The CMS itself reads
 * the secret through the Query Engine (keyFor, the secret route).
 */
function withoutSecret<T>(result: T): T {
  const strip = (entry: unknown) => {
    if (entry && typeof entry === 'object' && 'secret' in entry)
      delete (entry as { secret?: unknown }).secret
  }
  if (Array.isArray(result)) {
    result.forEach(strip)
  }
  else if (result && typeof result === 'object') {
    strip(result)
    const entries = (result as { entries?: unknown }).entries
    if (Array.isArray(entries))
      entries.forEach(strip)
  }
  return result
}

/** Register phase: the endpoints' rules, and the middleware that turns publishes into messages. */
export function registerAgencyWebhooks(strapi: Core.Strapi): void {
  const webhooks = new AgencyWebhooks(strapi, agencyWebhookSettings())
  instances.set(strapi, webhooks)
  strapi.documents.use(async (context, next) => {
    const params = context.params as { documentId?: string, data?: Record<string, unknown> } | undefined
    if (context.uid === AGENCY_WEBHOOK_UID && ['create', 'update', 'clone'].includes(context.action)) {
      const data = { ...params?.data }
      for (const field of CMS_MAINTAINED) delete data[field]
      if (context.action === 'create' || 'url' in data)
        checkUrl(data.url, webhooks.settings)
      if (typeof data.url === 'string')
        data.url = data.url.trim()
      if (context.action !== 'update') {
        // a new endpoint (a clone too): its own secret, not shown yet, an empty log
        Object.assign(data, {
          secret: sealSecret(strapi, newWebhookSecret()),
          secretShownAt: null,
          consecutiveFailures: 0,
          delivered: 0,
          failed: 0,
          lastStatus: null,
          lastAttempts: null,
          lastError: null,
          lastAttemptAt: null,
          lastDeliveredAt: null,
          disabledReason: null,
        })
      }
      else if (data.enabled === true) {
        // an editor enables it again: the failures that disabled it are forgotten
        data.consecutiveFailures = 0
        data.disabledReason = null
      }
      Object.assign(context.params as object, { data })
      return withoutSecret(await next())
    }
    if (context.uid === AGENCY_WEBHOOK_UID)
      return withoutSecret(await next())
    if ((context.uid !== NEWS_UID && context.uid !== PUBLICATION_UID) || !webhooks.started)
      return next()
    // a publish, or a create or update that writes the published version directly
    const publishes = context.action === 'publish'
      || ((context.action === 'create' || context.action === 'update') && (params as { status?: string } | undefined)?.status === 'published')
    if (!publishes)
      return next()
    const before = params?.documentId
      ? await publishedVersion(strapi, context.uid, params.documentId)
      : null
    const result = await next()
    const documentId = params?.documentId ?? (result as { documentId?: string } | null)?.documentId
    const after = documentId
      ? await publishedVersion(strapi, context.uid, documentId)
      : null
    for (const event of eventsOfPublish(context.uid, before, after))
      await webhooks.enqueue(event.type, event.data)
    return result
  })
}

/**
 * POST /isecg/agency-webhooks/:documentId/secret: the endpoint's secret, once. Whoever may update
 * endpoints in the Content Manager may ask; the first answer marks it shown (one atomic update, so
 * two simultaneous requests cannot both get it), later ones answer 410.
 */
function registerSecretRoute(strapi: Core.Strapi) {
  strapi.server.routes({
    type: 'admin',
    prefix: '/isecg',
    routes: [
      {
        method: 'POST',
        path: '/agency-webhooks/:documentId/secret',
        handler: async (ctx: AdminContext) => {
          if (!ctx.state.userAbility?.can('plugin::content-manager.explorer.update', AGENCY_WEBHOOK_UID))
            return refuse(ctx, 403, 'ForbiddenError', 'Forbidden')
          const endpoint = await strapi.db.query(AGENCY_WEBHOOK_UID as never).findOne({
            where: { documentId: ctx.params.documentId },
          }) as Endpoint | null
          if (!endpoint)
            return refuse(ctx, 404, 'NotFoundError', 'Not Found')
          const { count } = await strapi.db.query(AGENCY_WEBHOOK_UID as never).updateMany({
            where: {
              documentId: endpoint.documentId,
              secretShownAt: { $null: true },
            },
            data: {
              secretShownAt: new Date(),
            },
          }) as { count: number }
          if (count === 0)
            return refuse(ctx, 410, 'GoneError', 'The signing secret of this endpoint was shown already; it is never shown again')
          ctx.set('Cache-Control', 'no-store')
          ctx.body = {
            data: {
              secret: openSecret(strapi, endpoint.secret),
            },
          }
        },
        config: {
          policies: ['admin::isAuthenticatedAdmin'],
        },
      },
    ],
  } as never)
}

/** Bootstrap phase: the message table, the secret route, then delivery (and what earlier runs left). */
export async function startAgencyWebhooks(strapi: Core.Strapi): Promise<void> {
  await queueTable(strapi, AGENCY_WEBHOOK_TABLE, (table) => {
    table.string('endpoint_document_id', 64).notNullable()
    table.string('event_type', 64).notNullable()
  })
  registerSecretRoute(strapi)
  agencyWebhooks(strapi)?.queue.start()
}

export async function stopAgencyWebhooks(strapi: Core.Strapi): Promise<void> {
  await agencyWebhooks(strapi)?.queue.stop()
}
