/**
 * Subscribers in the Strapi admin (docs/notifications.md, "Editors"):
 *
 * - a Document Service middleware on admin requests: an editor may record an unsubscribe received
 *   by mail (`subscription` set to `unsubscribed`: unsubscribedAt set, ledger `unsubscribed` source
 *   `admin`), and nothing else. Consent is the person's: the admin cannot create a subscriber, set
 *   `pending` or `confirmed`, change the address (the consent was given for another one) or the
 *   choice (only the person changes it, from their preferences page). The CMS-maintained fields
 *   are ignored.
 *   Deleting a subscriber erases it (src/notifications/subscriptions.ts, registerErasure);
 * - GET /isecg/subscribers/:documentId/export (admin route: an admin JWT or admin token, and the
 *   Content Manager's read permission on subscribers): one subscriber's data as a JSON download.
 */
import type { Core } from '@strapi/strapi'
import type { AdminContext } from '../utils/admin-route'
import type { SubscriberRow } from './subscriptions'
import { errors } from '@strapi/utils'
import { currentCaller } from '../content-api/caller'
import { namesEntry, normalizeEmail } from '../private-area/members'
import { refuse } from '../utils/admin-route'
import { appendEvent, CONSENT_UID } from './ledger'
import { choiceOf, findSubscriber, outboxTable, SUBSCRIBER_UID } from './subscriptions'

const CMS_MAINTAINED = [
  'requestedAt',
  'confirmedAt',
  'unsubscribedAt',
  'policyVersion',
  'subjectRef',
  'confirmTokenHash',
  'confirmExpiresAt',
] as const

/** Whether a relation input changes the relation (the admin sends empty connect/disconnect lists when not). */
function changesRelation(value: unknown): boolean {
  if (value === undefined)
    return false
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return true
  const relation = value as Record<string, unknown>
  return namesEntry(relation.connect) || namesEntry(relation.disconnect) || relation.set !== undefined
}

async function onAdminUpdate(strapi: Core.Strapi, params: { documentId?: string, data?: Record<string, unknown> }, next: () => Promise<unknown>) {
  const existing = params.documentId
    ? await findSubscriber(strapi, { documentId: params.documentId })
    : null
  if (!existing || !params.data)
    return next()
  const data = { ...params.data }
  for (const field of CMS_MAINTAINED) delete data[field]
  if ('email' in data && normalizeEmail(data.email) !== existing.email)
    throw new errors.ValidationError('The address of a subscriber cannot be changed: the person subscribes the new address on the site')
  if (('allNews' in data && data.allNews !== existing.allNews) || changesRelation(data.topics))
    throw new errors.ValidationError('Only the subscriber changes what they receive, from the preferences link in every mail')
  delete data.email
  delete data.allNews
  delete data.topics
  const subscription = data.subscription
  delete data.subscription
  const unsubscribes = subscription !== undefined && subscription !== existing.subscription
  if (unsubscribes && subscription !== 'unsubscribed')
    throw new errors.ValidationError('Only the person can subscribe, from the confirmation mail. An editor can only record an unsubscribe.')
  if (unsubscribes) {
    Object.assign(data, {
      subscription,
      unsubscribedAt: new Date(),
      confirmTokenHash: null,
      confirmExpiresAt: null,
    })
  }
  params.data = data
  const result = await next()
  if (unsubscribes) {
    await appendEvent(strapi, {
      type: 'unsubscribed',
      subjectRef: existing.subjectRef,
      subscriber: existing.documentId,
      policyVersion: existing.policyVersion,
      source: 'admin',
      choice: choiceOf(existing),
    })
  }
  return result
}

export function registerSubscriberAdmin(strapi: Core.Strapi): void {
  strapi.documents.use(async (context, next) => {
    if (context.uid !== SUBSCRIBER_UID || currentCaller(strapi) !== 'admin')
      return next()
    if (context.action === 'create' || context.action === 'clone')
      throw new errors.ForbiddenError('Subscribers subscribe themselves on the site (double opt-in); they cannot be added in the admin')
    if (context.action === 'update')
      return onAdminUpdate(strapi, context.params as never, next) as ReturnType<typeof next>
    return next()
  })
}

/** A time as ISO 8601: Strapi's datetimes, and the outbox's epoch milliseconds (a string on PostgreSQL). */
function iso(value: unknown) {
  if (value === null || value === undefined)
    return null
  return new Date(typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value))
    ? Number(value)
    : value as string).toISOString()
}

/** Everything the CMS holds about one subscriber (GDPR access request). */
export async function subscriberExport(strapi: Core.Strapi, row: SubscriberRow) {
  const events = await strapi.db.query(CONSENT_UID).findMany({
    where: { subjectRef: row.subjectRef },
    orderBy: [
      { occurredAt: 'asc' },
      { id: 'asc' },
    ],
  }) as Array<Record<string, unknown>>
  const mails = await strapi.db.transaction(async ({ trx }) => {
    const table = await outboxTable(strapi, trx as never)
    if (!table)
      return []
    return trx(table)
      .select('article_document_id', 'status', 'sent_at')
      .where({ subscriber_id: row.id })
      .orderBy('id', 'asc') as Promise<Array<{ article_document_id: string, status: string, sent_at: unknown }>>
  })
  return {
    exportedAt: new Date().toISOString(),
    subscriber: {
      email: row.email,
      subscription: row.subscription,
      allNews: row.allNews,
      topics: (row.topics ?? []).map(topic => ({ slug: topic.slug, title: topic.title })),
      requestedAt: iso(row.requestedAt),
      confirmedAt: iso(row.confirmedAt),
      unsubscribedAt: iso(row.unsubscribedAt),
      policyVersion: row.policyVersion ?? null,
      subjectRef: row.subjectRef,
    },
    consentEvents: events.map(event => ({
      type: event.type,
      occurredAt: iso(event.occurredAt),
      source: event.source,
      policyVersion: event.policyVersion ?? null,
      clientHash: event.clientHash ?? null,
      choice: event.choice ?? null,
    })),
    mails: mails.map(mail => ({
      articleDocumentId: mail.article_document_id,
      status: mail.status,
      sentAt: iso(mail.sent_at),
    })),
  }
}

export const EXPORT_PREFIX = '/isecg'

export function registerExportRoute(strapi: Core.Strapi): void {
  strapi.server.routes({
    type: 'admin',
    prefix: EXPORT_PREFIX,
    routes: [
      {
        method: 'GET',
        path: '/subscribers/:documentId/export',
        handler: async (ctx: AdminContext) => {
          if (!ctx.state.userAbility?.can('plugin::content-manager.explorer.read', SUBSCRIBER_UID))
            return refuse(ctx, 403, 'ForbiddenError', 'Forbidden')
          const row = await findSubscriber(strapi, { documentId: ctx.params.documentId })
          if (!row)
            return refuse(ctx, 404, 'NotFoundError', 'Not Found')
          ctx.set('Content-Disposition', `attachment; filename="subscriber-${row.subjectRef}.json"`)
          ctx.set('Cache-Control', 'no-store')
          ctx.type = 'application/json'
          ctx.body = `${JSON.stringify(await subscriberExport(strapi, row), null, 2)}\n`
        },
        config: {
          policies: ['admin::isAuthenticatedAdmin'],
        },
      },
    ],
  } as never)
}
