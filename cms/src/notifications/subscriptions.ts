/**
 * Subscriptions to news notifications (docs/notifications.md): what the site's endpoint
 * (/api/subscriptions/*, src/api/subscription) does with a request, the erasure of a subscriber and
 * the purge of unconfirmed ones.
 *
 * - subscribe: the answer (202) is given before anything is read, so neither its content nor its
 *   timing tells whether the address is new, pending, confirmed or unsubscribed; the work runs
 *   after it, one request per address at a time on this instance (the unique email settles races
 *   between instances).
 * - a repeat request for a pending address within REPEAT_WINDOW_MS of the last confirmation mail
 *   updates the choice but sends no mail and keeps the link: a double click or a reload gives one
 *   mail, not two. Later repeats send a fresh link (the older one stops working).
 * - at most MAIL_LIMIT mails of any kind per address per day; beyond, nothing is mailed and no new
 *   link replaces the one already sent.
 */
import type { Core } from '@strapi/strapi'
import type { Rule } from '../private-area/rate-limit'
import type { Choice, EventSource } from './ledger'
import { AsyncLocalStorage } from 'node:async_hooks'
import { normalizeEmail } from '../private-area/members'
import { hit } from '../private-area/rate-limit'
import { appendEvent } from './ledger'
import { CONFIRM_TTL_MS, isConfirmToken, manageToken, newConfirmToken, newSubjectRef, sha256, subjectOfManageToken } from './links'
import { alreadySubscribedMail, confirmationMail, sendNotificationMail } from './mails'
import { OUTBOX as OUTBOX_TABLE } from './outbox'

export const SUBSCRIBER_UID = 'api::subscriber.subscriber'
export const TOPIC_UID = 'api::topic.topic'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

export const REPEAT_WINDOW_MS = 10 * MINUTE
export const UNCONFIRMED_TTL_MS = 30 * DAY
export const PURGE_INTERVAL_MS = HOUR

export const LIMITS = {
  /** mails (confirmation or "already subscribed") per address */
  mailsPerAddress: { windowMs: DAY, limit: 3 },
  /** subscribe requests per client address: beyond, 429 */
  requestsPerClient: { windowMs: HOUR, limit: 10 },
  /** subscribe requests per email address: beyond, the same 202 and nothing done */
  requestsPerAddress: { windowMs: HOUR, limit: 10 },
} satisfies Record<string, Rule>

export type SubscriptionState = 'pending' | 'confirmed' | 'unsubscribed'

export interface Topic {
  id: number
  documentId: string
  slug: string
  title: string
}

export interface SubscriberRow {
  id: number
  documentId: string
  email: string
  subscription: SubscriptionState
  allNews: boolean
  topics?: Topic[]
  requestedAt?: string | null
  confirmedAt?: string | null
  unsubscribedAt?: string | null
  policyVersion?: string | null
  subjectRef: string
  confirmTokenHash?: string | null
  confirmExpiresAt?: string | number | Date | null
}

export interface FieldError {
  field: string
  message: string
}

export interface ValidChoice {
  allNews: boolean
  /** published topics chosen, by slug order; empty when allNews */
  topics: Array<{ documentId: string, slug: string, title: string }>
}

export interface SubscribeRequest {
  email: string
  choice: ValidChoice
  policyVersion: string
  clientHash: string
}

/* ---------- validation ---------- */

// the WHATWG "valid email address" (what browsers check), with a dot required in the domain
const EMAIL = /^[\w.!#$%&'*+/=?^`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/
const POLICY_VERSION = /^[\w.:-]{1,40}$/
const MAX_TOPICS = 100

export function validEmail(value: unknown): string | null {
  const email = normalizeEmail(value)
  if (email.length > 254 || !EMAIL.test(email) || email.split('@')[0]!.length > 64)
    return null
  return email
}

/** The published topics, by slug (few: read per request). */
export async function publishedTopics(strapi: Core.Strapi): Promise<Map<string, { documentId: string, slug: string, title: string }>> {
  const topics = await strapi.documents(TOPIC_UID).findMany({
    status: 'published',
    fields: ['slug', 'title'],
    pagination: { pageSize: 1000 },
  } as never) as unknown as Array<{ documentId: string, slug: string, title: string }>
  return new Map(topics.map(topic => [
    topic.slug,
    { documentId: topic.documentId, slug: topic.slug, title: topic.title },
  ]))
}

/** Checks `allNews` and `topics`; the errors found are added to `errors`. */
export async function validateChoice(strapi: Core.Strapi, body: Record<string, unknown>, errors: FieldError[]): Promise<ValidChoice | null> {
  const before = errors.length
  if (typeof body.allNews !== 'boolean')
    errors.push({ field: 'allNews', message: 'Choose all news or some topics' })
  const raw = body.topics ?? []
  if (!Array.isArray(raw) || raw.length > MAX_TOPICS || raw.some(slug => typeof slug !== 'string' || !SLUG.test(slug))) {
    errors.push({ field: 'topics', message: 'Choose topics from the list' })
    return null
  }
  const slugs = [
    ...new Set(raw as string[]),
  ]
  const allNews = body.allNews === true
  let topics: ValidChoice['topics'] = []
  if (!allNews) {
    const known = await publishedTopics(strapi)
    if (slugs.some(slug => !known.has(slug)))
      errors.push({ field: 'topics', message: 'Choose topics from the list' })
    else if (body.allNews === false && slugs.length === 0)
      errors.push({ field: 'topics', message: 'Choose at least one topic, or all news' })
    else
      topics = slugs.map(slug => known.get(slug)!)
  }
  return errors.length > before
    ? null
    : { allNews, topics }
}

export async function validateSubscribe(strapi: Core.Strapi, body: Record<string, unknown>): Promise<{ errors: FieldError[], email?: string, choice?: ValidChoice, policyVersion?: string }> {
  const errors: FieldError[] = []
  const email = validEmail(body.email)
  if (!email)
    errors.push({ field: 'email', message: 'Enter a valid email address' })
  const choice = await validateChoice(strapi, body, errors)
  if (body.consent !== true)
    errors.push({ field: 'consent', message: 'Agree to the privacy notice to subscribe' })
  const policyVersion = typeof body.policyVersion === 'string' && POLICY_VERSION.test(body.policyVersion)
    ? body.policyVersion
    : undefined
  if (!policyVersion)
    errors.push({ field: 'policyVersion', message: 'The version of the privacy notice is missing' })
  return errors.length > 0
    ? { errors }
    : {
        errors,
        email: email!,
        choice: choice!,
        policyVersion: policyVersion!,
      }
}

/* ---------- reading subscribers ---------- */

/** A subscriber with its published topics (the relation links both versions of a topic). */
export async function findSubscriber(strapi: Core.Strapi, where: Record<string, unknown>): Promise<SubscriberRow | null> {
  const row = await strapi.db.query(SUBSCRIBER_UID).findOne({
    where,
    populate: {
      topics: {
        where: {
          publishedAt: { $notNull: true },
        },
        select: ['id', 'documentId', 'slug', 'title'],
      },
    },
  }) as SubscriberRow | null
  if (row) {
    const seen = new Set<string>()
    row.topics = (row.topics ?? [])
      .filter(topic => !seen.has(topic.documentId) && Boolean(seen.add(topic.documentId)))
      .sort((a, b) => a.slug.localeCompare(b.slug))
  }
  return row
}

export function choiceOf(row: { allNews: boolean, topics?: Array<{ slug: string }> }): Choice {
  return {
    allNews: row.allNews,
    topics: (row.topics ?? []).map(topic => topic.slug).sort(),
  }
}

const sameChoice = (a: Choice, b: Choice) => a.allNews === b.allNews && a.topics.join(',') === b.topics.join(',')

function validChoiceSnapshot(choice: ValidChoice): Choice {
  return {
    allNews: choice.allNews,
    topics: choice.topics.map(topic => topic.slug).sort(),
  }
}

/**
 * The view the site shows (confirmation page, preferences page). The preferences page's answer
 * names the subscription `status` (docs/notifications.md, the site reads it).
 */
export function subscriberView(row: SubscriberRow, withStatus = false) {
  return {
    email: row.email,
    ...(withStatus
      ? { status: row.subscription }
      : {}),
    allNews: row.allNews,
    topics: (row.topics ?? []).map(topic => ({ slug: topic.slug, title: topic.title })),
  }
}

function timeOf(value: SubscriberRow['confirmExpiresAt']) {
  return value === null || value === undefined
    ? Number.NaN
    : new Date(value).getTime()
}

/* ---------- subscribe ---------- */

/** Counts a mail to `email`; whether it may be sent (MAIL_LIMIT per day, all kinds together). */
async function mayMail(strapi: Core.Strapi, email: string): Promise<boolean> {
  const count = await hit(strapi, `subscriptions:mail:${email}`, LIMITS.mailsPerAddress)
  return count.hits <= LIMITS.mailsPerAddress.limit
}

/** Whether another subscribe request from this client address is allowed (counted here). */
export async function countClientRequest(strapi: Core.Strapi, address: string) {
  const count = await hit(strapi, `subscriptions:client:${address}`, LIMITS.requestsPerClient)
  return { allowed: count.hits <= LIMITS.requestsPerClient.limit, count }
}

async function handleSubscribe(strapi: Core.Strapi, request: SubscribeRequest): Promise<void> {
  const { email, choice, policyVersion, clientHash } = request
  const perAddress = await hit(strapi, `subscriptions:address:${email}`, LIMITS.requestsPerAddress)
  if (perAddress.hits > LIMITS.requestsPerAddress.limit)
    return
  const existing = await findSubscriber(strapi, { email })

  if (existing?.subscription === 'confirmed') {
    // nothing changes: only the person, through their mailbox, may change their choice
    if (await mayMail(strapi, email))
      await sendNotificationMail(strapi, alreadySubscribedMail(email, manageToken(existing.subjectRef)))
    return
  }

  const now = Date.now()
  const lastLinkAt = existing?.subscription === 'pending'
    ? timeOf(existing.confirmExpiresAt) - CONFIRM_TTL_MS
    : Number.NaN
  const repeat = now - lastLinkAt < REPEAT_WINDOW_MS
  const mail = !repeat && await mayMail(strapi, email)
  const confirm = mail
    ? newConfirmToken()
    : null
  const data: Record<string, unknown> = {
    subscription: 'pending',
    allNews: choice.allNews,
    topics: choice.topics.map(topic => topic.documentId),
    requestedAt: new Date(now),
    policyVersion,
    confirmedAt: null,
    unsubscribedAt: null,
  }
  if (confirm) {
    data.confirmTokenHash = confirm.hash
    data.confirmExpiresAt = new Date(now + CONFIRM_TTL_MS)
  }
  else if (existing?.subscription !== 'pending') {
    // no mail goes out: an old link (from before an unsubscribe) must not confirm this request
    data.confirmTokenHash = null
    data.confirmExpiresAt = null
  }

  const subscribers = strapi.documents(SUBSCRIBER_UID)
  let saved: { documentId: string, subjectRef: string }
  if (existing) {
    await subscribers.update({ documentId: existing.documentId, data } as never)
    saved = existing
  }
  else {
    saved = await subscribers.create({
      data: {
        ...data,
        email,
        subjectRef: newSubjectRef(),
      },
    } as never) as unknown as { documentId: string, subjectRef: string }
  }
  await appendEvent(strapi, {
    type: 'requested',
    subjectRef: saved.subjectRef,
    subscriber: saved.documentId,
    policyVersion,
    source: 'subscribe_form',
    clientHash,
    choice: validChoiceSnapshot(choice),
  })
  if (confirm)
    await sendNotificationMail(strapi, confirmationMail(email, confirm.token))
}

/** Per address, the work still running on this instance (requests for one address in order). */
const running = new Map<string, Promise<void>>()

/**
 * Starts the work of a valid subscribe request and returns at once (the caller answers 202 before
 * it is done). The returned promise settles when the work is done; it never rejects.
 */
export function subscribe(strapi: Core.Strapi, request: SubscribeRequest): Promise<void> {
  const previous = running.get(request.email) ?? Promise.resolve()
  const work = previous
    .then(() => handleSubscribe(strapi, request))
    .catch((error: Error) => {
      strapi.log.error(`news notifications: a subscription request could not be handled: ${error.message}`)
    })
    .finally(() => {
      if (running.get(request.email) === work)
        running.delete(request.email)
    })
  running.set(request.email, work)
  return work
}

/* ---------- confirm ---------- */

/** The pending subscriber a confirmation token is valid for, or null. */
export async function subscriberOfConfirmToken(strapi: Core.Strapi, token: unknown): Promise<SubscriberRow | null> {
  if (!isConfirmToken(token))
    return null
  const row = await findSubscriber(strapi, {
    confirmTokenHash: sha256(token),
  })
  if (!row || row.subscription !== 'pending' || !(timeOf(row.confirmExpiresAt) > Date.now()))
    return null
  return row
}

/** Confirms once (the token is cleared in the same statement); the manage token, or null. */
export async function confirm(strapi: Core.Strapi, token: unknown, clientHash: string): Promise<string | null> {
  const row = await subscriberOfConfirmToken(strapi, token)
  if (!row)
    return null
  const now = new Date()
  const { count } = await strapi.db.query(SUBSCRIBER_UID).updateMany({
    where: {
      id: row.id,
      subscription: 'pending',
      confirmTokenHash: row.confirmTokenHash,
      confirmExpiresAt: { $gt: now },
    },
    data: {
      subscription: 'confirmed',
      confirmedAt: now,
      unsubscribedAt: null,
      confirmTokenHash: null,
      confirmExpiresAt: null,
      updatedAt: now,
    },
  }) as { count: number }
  // another request used the token first
  if (count !== 1)
    return null
  await appendEvent(strapi, {
    type: 'confirmed',
    subjectRef: row.subjectRef,
    subscriber: row.documentId,
    policyVersion: row.policyVersion,
    source: 'confirmation_link',
    clientHash,
    choice: choiceOf(row),
  })
  return manageToken(row.subjectRef)
}

/* ---------- manage and unsubscribe ---------- */

export async function subscriberOfManageToken(strapi: Core.Strapi, token: unknown): Promise<SubscriberRow | null> {
  const subjectRef = subjectOfManageToken(token)
  return subjectRef
    ? findSubscriber(strapi, { subjectRef })
    : null
}

/** Stores a new choice; a ledger event when it differs from the stored one. */
export async function changeChoice(strapi: Core.Strapi, row: SubscriberRow, choice: ValidChoice, clientHash: string): Promise<void> {
  const snapshot = validChoiceSnapshot(choice)
  if (sameChoice(snapshot, choiceOf(row)))
    return
  await strapi.documents(SUBSCRIBER_UID).update({
    documentId: row.documentId,
    data: {
      allNews: choice.allNews,
      topics: choice.topics.map(topic => topic.documentId),
    },
  } as never)
  await appendEvent(strapi, {
    type: 'topics_changed',
    subjectRef: row.subjectRef,
    subscriber: row.documentId,
    policyVersion: row.policyVersion,
    source: 'preferences',
    clientHash,
    choice: snapshot,
  })
}

/**
 * Unsubscribes once: the subscription changes in one conditional statement, so parallel requests (and
 * repeated one-click POSTs) write a single ledger event.
 */
export async function unsubscribe(strapi: Core.Strapi, row: SubscriberRow, source: EventSource, clientHash: string | null): Promise<boolean> {
  const now = new Date()
  const { count } = await strapi.db.query(SUBSCRIBER_UID).updateMany({
    where: {
      id: row.id,
      subscription: { $ne: 'unsubscribed' },
    },
    data: {
      subscription: 'unsubscribed',
      unsubscribedAt: now,
      confirmTokenHash: null,
      confirmExpiresAt: null,
      updatedAt: now,
    },
  }) as { count: number }
  if (count !== 1)
    return false
  await appendEvent(strapi, {
    type: 'unsubscribed',
    subjectRef: row.subjectRef,
    subscriber: row.documentId,
    policyVersion: row.policyVersion,
    source,
    clientHash,
    choice: choiceOf(row),
  })
  return true
}

/* ---------- erasure and purge ---------- */

/** Why a subscriber is being deleted (the ledger's source); an admin delete when unset. */
export const erasureSource = new AsyncLocalStorage<EventSource>()

/** The outbox table's name (with the PostgreSQL schema), or null when it does not exist. */
export async function outboxTable(strapi: Core.Strapi, trx: { schema: { withSchema: (name: string) => { hasTable: (table: string) => Promise<boolean> }, hasTable: (table: string) => Promise<boolean> } }): Promise<string | null> {
  const schema = strapi.db.getSchemaName()
  const exists = schema
    ? await trx.schema.withSchema(schema).hasTable(OUTBOX_TABLE)
    : await trx.schema.hasTable(OUTBOX_TABLE)
  if (!exists)
    return null
  return schema
    ? `${schema}.${OUTBOX_TABLE}`
    : OUTBOX_TABLE
}

/**
 * What deleting a subscriber does besides removing the row (Document Service middleware, any
 * caller): its pending mails are skipped and the ledger gets `erased` with the subjectRef only. The
 * ledger's other events lose their link to the row with it (the join rows are deleted), and they
 * never held the address: the ledger is anonymised.
 */
export function registerErasure(strapi: Core.Strapi): void {
  strapi.documents.use(async (context, next) => {
    if (context.uid !== SUBSCRIBER_UID || context.action !== 'delete')
      return next()
    const documentId = (context.params as { documentId?: string }).documentId
    const existing = documentId
      ? await strapi.db.query(SUBSCRIBER_UID).findOne({
        where: { documentId },
        select: ['id', 'subjectRef', 'policyVersion'],
      }) as { id: number, subjectRef: string, policyVersion?: string | null } | null
      : null
    const result = await next() as { entries?: unknown[] } | null
    // deleted by another instance meanwhile: that one wrote the ledger
    if (!existing || (Array.isArray(result?.entries) && result.entries.length === 0))
      return result as never
    await strapi.db.transaction(async ({ trx }) => {
      const table = await outboxTable(strapi, trx as never)
      if (table) {
        await trx(table)
          .where({ subscriber_id: existing.id })
          .whereIn('status', ['pending'])
          .update({ status: 'skipped' })
      }
    })
    await appendEvent(strapi, {
      type: 'erased',
      subjectRef: existing.subjectRef,
      policyVersion: existing.policyVersion,
      source: erasureSource.getStore() ?? 'admin',
    })
    return result as never
  })
}

/** Deletes the subscriptions left unconfirmed for 30 days (idempotent; any instance). */
export async function purgeUnconfirmed(strapi: Core.Strapi): Promise<number> {
  const cutoff = new Date(Date.now() - UNCONFIRMED_TTL_MS)
  const done = new Set<string>()
  for (;;) {
    const batch = await strapi.db.query(SUBSCRIBER_UID).findMany({
      where: {
        subscription: 'pending',
        requestedAt: { $lt: cutoff },
        documentId: {
          $notIn: [...done],
        },
      },
      select: ['documentId'],
      orderBy: { id: 'asc' },
      limit: 100,
    }) as Array<{ documentId: string }>
    if (batch.length === 0)
      return done.size
    for (const { documentId } of batch) {
      await erasureSource.run('expiry', () => strapi.documents(SUBSCRIBER_UID).delete({ documentId } as never))
      done.add(documentId)
    }
  }
}

const purgeTimers = new WeakMap<Core.Strapi, NodeJS.Timeout>()

/** Purges now and every hour on this instance; `stopPurge` on destroy. */
export async function startPurge(strapi: Core.Strapi): Promise<void> {
  const run = () => purgeUnconfirmed(strapi).catch((error: Error) => {
    strapi.log.error(`news notifications: the purge of unconfirmed subscriptions failed: ${error.message}`)
  })
  await run()
  const timer = setInterval(run, PURGE_INTERVAL_MS)
  timer.unref()
  purgeTimers.set(strapi, timer)
}

export function stopPurge(strapi: Core.Strapi): void {
  clearInterval(purgeTimers.get(strapi))
  purgeTimers.delete(strapi)
}
