/**
 * The outbox of news notification mails (docs/notifications.md, "Sending"): our own tables, created
 * on start and left alone by Strapi's schema sync, shared by every CMS instance.
 *
 * - `isecg_news_announced`: one row per news article announced (documentId primary key); an
 *   article is announced by the instance whose insert-or-nothing inserted the row.
 * - `isecg_mail_outbox`: one row per (article, subscriber), unique; no email address. Times are
 *   epoch milliseconds (bigint), as in isecg_rate_limits, so SQLite and PostgreSQL compare alike.
 *
 * Claiming is one atomic statement: on PostgreSQL `for update skip locked` lets instances take
 * disjoint batches without waiting on each other; SQLite serialises writers, so the same
 * `update ... where id in (select ... limit n) returning` is atomic there as it stands.
 */
import type { Core } from '@strapi/strapi'

type Connection = Core.Strapi['db']['connection']
type SchemaBuilder = ReturnType<Core.Strapi['db']['getSchemaConnection']>
type TableBuilder = Parameters<NonNullable<Parameters<SchemaBuilder['createTable']>[1]>>[0]

export const OUTBOX = 'isecg_mail_outbox'
export const ANNOUNCED = 'isecg_news_announced'
const MAILING_UID = 'api::news-mailing.news-mailing'
const INSERT_CHUNK = 250

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'skipped'

export interface ClaimedRow {
  id: number
  articleDocumentId: string
  subscriberId: number
  attempts: number
  messageId: string | null
}

export function qualified(strapi: Core.Strapi, table: string): string {
  const schema = strapi.db.getSchemaName()
  return schema
    ? `${schema}.${table}`
    : table
}

export function rowsOf(result: unknown): Array<Record<string, unknown>> {
  if (Array.isArray(result))
    return result as Array<Record<string, unknown>>
  return ((result as { rows?: Array<Record<string, unknown>> }).rows) ?? []
}

const isPostgres = (strapi: Core.Strapi) => strapi.db.dialect.client === 'postgres'

/** Creates a table when missing (several instances may race: the loser finds it created). */
export async function ensureTable(strapi: Core.Strapi, name: string, build: (table: TableBuilder) => void) {
  const schema = strapi.db.getSchemaConnection()
  if (await schema.hasTable(name))
    return
  try {
    await schema.createTable(name, build)
  }
  catch (error) {
    if (!(await strapi.db.getSchemaConnection().hasTable(name)))
      throw error
  }
}

export async function ensureOutboxTables(strapi: Core.Strapi): Promise<void> {
  await ensureTable(strapi, ANNOUNCED, (table) => {
    table.string('article_document_id', 64).primary()
    table.bigInteger('announced_at').notNullable()
  })
  await ensureTable(strapi, OUTBOX, (table) => {
    table.increments('id').primary()
    table.string('article_document_id', 64).notNullable()
    table.integer('subscriber_id').notNullable()
    table.string('status', 16).notNullable().defaultTo('pending')
    table.integer('attempts').notNullable().defaultTo(0)
    table.bigInteger('next_attempt_at').notNullable()
    table.string('locked_by', 64).nullable()
    table.bigInteger('locked_until').nullable()
    table.string('last_error', 500).nullable()
    table.bigInteger('sent_at').nullable()
    table.string('message_id', 255).nullable()
    table.unique(['article_document_id', 'subscriber_id'], { indexName: 'isecg_mail_outbox_article_subscriber' })
    table.index(['status', 'next_attempt_at'], 'isecg_mail_outbox_due')
    table.index(['status', 'locked_until'], 'isecg_mail_outbox_lease')
    table.index(['subscriber_id'], 'isecg_mail_outbox_subscriber')
  })
}

/**
 * Records every news article published so far as announced, without a mailing: on start, after
 * the seed, so that neither the seed nor content that existed before this feature mails anyone.
 */
export async function recordPublishedArticles(strapi: Core.Strapi): Promise<void> {
  const articles = strapi.db.metadata.get('api::news-article.news-article').tableName
  await strapi.db.connection.raw(
    `insert into ?? (article_document_id, announced_at)
     select distinct document_id, cast(? as bigint) from ?? where published_at is not null
     on conflict (article_document_id) do nothing`,
    [
      qualified(strapi, ANNOUNCED),
      Date.now(),
      qualified(strapi, articles),
    ],
  )
}

/** Inserts the article's row; true when this call inserted it (it is the one to announce). */
export async function markAnnounced(trx: Connection, strapi: Core.Strapi, documentId: string): Promise<boolean> {
  const result = await trx.raw(
    `insert into ?? (article_document_id, announced_at) values (?, cast(? as bigint))
     on conflict (article_document_id) do nothing returning article_document_id`,
    [
      qualified(strapi, ANNOUNCED),
      documentId,
      Date.now(),
    ],
  )
  return rowsOf(result).length > 0
}

/** Adds one outbox row per subscriber id (existing pairs are left as they are); returns how many. */
export async function enqueue(trx: Connection, strapi: Core.Strapi, documentId: string, subscriberIds: number[], messageId: (subscriberId: number) => string): Promise<number> {
  if (!subscriberIds.length)
    return 0
  const now = Date.now()
  const schema = strapi.db.getSchemaName()
  const rows = subscriberIds.map(subscriberId => ({
    article_document_id: documentId,
    subscriber_id: subscriberId,
    status: 'pending',
    attempts: 0,
    next_attempt_at: now,
    message_id: messageId(subscriberId),
  }))
  let count = 0
  // SQLite's multi-row insert is a compound SELECT, limited to 500 terms
  for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
    const query = schema
      ? trx(OUTBOX).withSchema(schema)
      : trx(OUTBOX)
    const inserted = await query.insert(rows.slice(start, start + INSERT_CHUNK))
      .onConflict(['article_document_id', 'subscriber_id'])
      .ignore()
      .returning('id')
    count += (inserted as unknown[]).length
  }
  return count
}

/**
 * Claims up to `limit` due rows for `owner` until `leaseMs` from now: pending rows whose time has
 * come, and rows left `sending` by an instance whose lease ran out (it crashed).
 */
export async function claim(strapi: Core.Strapi, owner: string, limit: number, leaseMs: number): Promise<ClaimedRow[]> {
  const now = Date.now()
  const table = qualified(strapi, OUTBOX)
  const lock = isPostgres(strapi)
    ? 'for update skip locked'
    : ''
  const result = await strapi.db.connection.raw(
    `update ?? set status = 'sending', locked_by = ?, locked_until = cast(? as bigint), attempts = attempts + 1
     where id in (
       select id from ??
       where (status = 'pending' and next_attempt_at <= cast(? as bigint))
          or (status = 'sending' and locked_until <= cast(? as bigint))
       order by id
       limit ?
       ${lock}
     )
     returning id, article_document_id, subscriber_id, attempts, message_id`,
    [
      table,
      owner,
      now + leaseMs,
      table,
      now,
      now,
      limit,
    ],
  )
  return rowsOf(result).map(row => ({
    id: Number(row.id),
    articleDocumentId: String(row.article_document_id),
    subscriberId: Number(row.subscriber_id),
    attempts: Number(row.attempts),
    messageId: row.message_id
      ? String(row.message_id)
      : null,
  }))
}

export type Outcome
  = | { status: 'sent' }
    | { status: 'skipped', error: string }
    | { status: 'failed', error: string }
    | { status: 'retry', error: string }

/** The first 500 characters of an error, on one line (the column's size). */
const errorText = (text: string) => text.replace(/\s+/g, ' ').trim().slice(0, 500)

/**
 * Records the outcomes of a claimed batch: one statement per outcome (and error text), each only
 * on rows this instance still holds. A retry waits `baseMs * 2^(attempts - 1)`.
 */
export async function markOutcomes(strapi: Core.Strapi, owner: string, outcomes: Map<number, Outcome>, baseMs: number): Promise<void> {
  const groups = new Map<string, { outcome: Outcome, ids: number[] }>()
  for (const [id, outcome] of outcomes) {
    const key = `${outcome.status}\u0000${'error' in outcome
      ? errorText(outcome.error)
      : ''}`
    const group = groups.get(key) ?? { outcome, ids: [] }
    group.ids.push(id)
    groups.set(key, group)
  }
  const table = qualified(strapi, OUTBOX)
  const now = Date.now()
  for (const { outcome, ids } of groups.values()) {
    const mine = `where status = 'sending' and locked_by = ? and id in (${ids.map(() => '?').join(', ')})`
    if (outcome.status === 'sent') {
      await strapi.db.connection.raw(
        // locked_by stays: which instance sent it
        `update ?? set status = 'sent', sent_at = cast(? as bigint), last_error = null, locked_until = null ${mine}`,
        [table, now, owner, ...ids],
      )
    }
    else if (outcome.status === 'retry') {
      // attempts is at least 1 here (the claim counted this attempt); the shift is 2^(attempts - 1)
      await strapi.db.connection.raw(
        `update ?? set status = 'pending', last_error = ?, locked_by = null, locked_until = null,
           next_attempt_at = cast(? as bigint) + cast(? as bigint) * (1 << (case when attempts > 20 then 20 else attempts end - 1))
         ${mine}`,
        [
          table,
          errorText(outcome.error),
          now,
          baseMs,
          owner,
          ...ids,
        ],
      )
    }
    else {
      await strapi.db.connection.raw(
        `update ?? set status = ?, last_error = ?, locked_by = null, locked_until = null ${mine}`,
        [
          table,
          outcome.status,
          errorText(outcome.error),
          owner,
          ...ids,
        ],
      )
    }
  }
}

/** Puts this instance's claimed rows back to `pending` (on shutdown), except `keep` (still in flight). */
export async function release(strapi: Core.Strapi, owner: string, keep: number[] = []): Promise<void> {
  const except = keep.length
    ? `and id not in (${keep.map(() => '?').join(', ')})`
    : ''
  await strapi.db.connection.raw(
    `update ?? set status = 'pending', locked_by = null, locked_until = null,
       attempts = case when attempts > 0 then attempts - 1 else 0 end
     where status = 'sending' and locked_by = ? ${except}`,
    [
      qualified(strapi, OUTBOX),
      owner,
      ...keep,
    ],
  )
}

/**
 * Brings an article's news mailing up to date from its outbox rows. The mailing's row is locked
 * first (PostgreSQL), so that of two instances finishing at once the later one counts last and its
 * counters stand; SQLite serialises the transactions anyway.
 */
export async function updateMailing(strapi: Core.Strapi, documentId: string): Promise<void> {
  const mailings = strapi.db.metadata.get(MAILING_UID).tableName
  await strapi.db.transaction(async ({ trx }) => {
    if (isPostgres(strapi)) {
      await trx.raw('select id from ?? where article_document_id = ? for update', [
        qualified(strapi, mailings),
        documentId,
      ])
    }
    const result = await trx.raw('select status, count(*) as n from ?? where article_document_id = ? group by status', [
      qualified(strapi, OUTBOX),
      documentId,
    ])
    const counts: Partial<Record<OutboxStatus, number>> = {}
    for (const row of rowsOf(result))
      counts[row.status as OutboxStatus] = Number(row.n)
    const pending = (counts.pending ?? 0) + (counts.sending ?? 0)
    const mailing = await strapi.db.query(MAILING_UID).findOne({
      where: { articleDocumentId: documentId },
      select: ['id', 'progress'],
    })
    if (!mailing)
      return
    await strapi.db.query(MAILING_UID).update({
      where: { id: mailing.id },
      data: {
        sent: counts.sent ?? 0,
        pending,
        failed: counts.failed ?? 0,
        ...(pending > 0
          ? { progress: 'sending', finishedAt: null }
          : mailing.progress === 'done'
            ? {}
            : {
                progress: 'done',
                finishedAt: new Date(),
              }),
      },
    })
  })
}
