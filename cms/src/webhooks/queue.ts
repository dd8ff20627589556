/**
 * The delivery mechanics shared by the site's content webhook (src/site-webhook) and the agencies'
 * webhooks (src/agency-webhooks): an outbox table, not process memory.
 *
 * - `enqueue` inserts the messages in the current transaction (the change and its notifications
 *   commit together; nothing is sent for a change that rolled back) and sends after the commit;
 * - a pass claims due rows in one statement that takes a lease in the row (`locked_by`,
 *   `locked_until`) and counts the attempt; on PostgreSQL `for update skip locked` lets several
 *   instances claim disjoint rows, SQLite serialises writers. So no two instances send the same
 *   attempt, and an event is delivered once unless a receiver takes it and the answer is lost;
 * - a failed attempt (network error, timeout, non-2xx answer, including a redirect) is retried
 *   after base * 2^(attempt - 1) ms, at most `maxWaitMs` apart, until `maxAttempts` attempts or
 *   until the next attempt would fall later than `maxAgeMs` after the event; then it is given up.
 * Every attempt is signed anew (Standard Webhooks): the timestamp is the attempt's, the id stays.
 */
import type { Core } from '@strapi/strapi'
import { randomBytes, randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import { ensureTable, qualified, rowsOf } from '../notifications/outbox'
import { signedHeaders } from '../site-webhook/signing'

type TableBuilder = Parameters<Parameters<typeof ensureTable>[2]>[0]

export interface QueueSettings {
  pollMs: number
  retryBaseMs: number
  maxWaitMs: number
  maxAttempts: number
  /** give up when the next attempt would be later than this after the event (none: no limit) */
  maxAgeMs?: number
  timeoutMs: number
  leaseMs: number
}

export interface QueuedRow {
  id: number
  message_id: string
  url: string
  body: string
  attempts: number
  created_at: number
  [column: string]: unknown
}

/** What one attempt gave: the answer's status (null: no answer) and the error (null: delivered). */
export interface Attempt {
  status: number | null
  error: string | null
}

export type Settled = 'delivered' | 'retrying' | 'gave-up' | 'skipped'

export interface QueueHooks {
  /** log prefix, e.g. "site webhook" */
  name: string
  /** the key to sign this row with, or why it is not sent (dropped without an attempt) */
  keyFor: (row: QueuedRow) => Promise<Buffer | { skip: string }>
  /** sends one signed request; the default is fetch without following redirects */
  post?: (url: string, headers: Record<string, string>, body: string, timeoutMs: number) => Promise<number>
  /** after each attempt (or skip), once the row is written */
  settled?: (row: QueuedRow, outcome: Settled, attempt: Attempt) => Promise<void>
}

/** The columns every queue table has; `extra` adds a queue's own. */
export function queueTable(strapi: Core.Strapi, name: string, extra?: (table: TableBuilder) => void): Promise<void> {
  return ensureTable(strapi, name, (table) => {
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
    extra?.(table)
    table.index(['delivered_at', 'failed_at', 'next_attempt_at'], `${name}_due`)
  })
}

async function fetchPost(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    headers,
    body,
    redirect: 'manual',
    signal: AbortSignal.timeout(timeoutMs),
  })
  await response.arrayBuffer().catch(() => undefined)
  return response.status
}

const isPostgres = (strapi: Core.Strapi) => strapi.db.dialect.client === 'postgres'

export function newMessageId(): string {
  return `msg_${randomUUID()}`
}

export class WebhookQueue {
  private timer: NodeJS.Timeout | undefined
  private running: Promise<void> | undefined
  private again = false
  stopped = true
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`
  private readonly qualifiedTable: string

  constructor(
    private readonly strapi: Core.Strapi,
    readonly table: string,
    readonly settings: QueueSettings,
    private readonly hooks: QueueHooks,
  ) {
    this.qualifiedTable = qualified(strapi, table)
  }

  /** Records messages in the current transaction; sends them after it commits. */
  async enqueue(rows: Array<{ url: string, body: string, [column: string]: unknown }>): Promise<void> {
    if (rows.length === 0)
      return
    const now = Date.now()
    await this.strapi.db.transaction(async ({ trx, onCommit }) => {
      await trx(this.qualifiedTable).insert(rows.map(row => ({
        message_id: newMessageId(),
        attempts: 0,
        next_attempt_at: now,
        created_at: now,
        ...row,
      })))
      onCommit(() => this.kick())
    })
  }

  start() {
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
      this.strapi.log.error(`${this.hooks.name}: ${(error as Error)?.message ?? String(error)}`)
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

  /** One pass: claims what is due (retries included) and sends it; returns how many were delivered. */
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
    // settled messages are kept a week for inspection
    const weekAgo = Date.now() - 7 * 24 * 3600_000
    await this.strapi.db.getConnection(this.table).where('delivered_at', '<', weekAgo).orWhere('failed_at', '<', weekAgo).delete()
    return sent
  }

  /** Claims up to `limit` due rows for this instance (exported for the two-instance test). */
  async claim(limit: number): Promise<QueuedRow[]> {
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
       returning *`,
      [
        this.qualifiedTable,
        this.owner,
        now + this.settings.leaseMs,
        this.qualifiedTable,
        now,
        now,
        limit,
      ],
    )
    return rowsOf(result).map(row => ({
      ...row,
      id: Number(row.id),
      message_id: String(row.message_id),
      url: String(row.url),
      body: String(row.body),
      attempts: Number(row.attempts),
      created_at: Number(row.created_at),
    }))
  }

  /** The wait before the attempt after `attempts` failed ones. */
  retryWait(attempts: number): number {
    return Math.min(this.settings.retryBaseMs * 2 ** (attempts - 1), this.settings.maxWaitMs)
  }

  /** Sends one claimed row and records the outcome; true when delivered. */
  async deliver(row: QueuedRow): Promise<boolean> {
    const mine = () => this.strapi.db.getConnection(this.table).where({ id: row.id, locked_by: this.owner })
    const key = await this.hooks.keyFor(row)
    if (!Buffer.isBuffer(key)) {
      await mine().update({
        failed_at: Date.now(),
        locked_by: null,
        locked_until: null,
        last_error: key.skip.slice(0, 500),
      })
      await this.hooks.settled?.(row, 'skipped', { status: null, error: key.skip })
      return false
    }
    const timestamp = Math.floor(Date.now() / 1000)
    const attempt: Attempt = { status: null, error: null }
    try {
      attempt.status = await (this.hooks.post ?? fetchPost)(row.url, {
        'content-type': 'application/json',
        'user-agent': 'ISECG-CMS-webhook',
        ...signedHeaders(key, row.message_id, timestamp, row.body),
      }, row.body, this.settings.timeoutMs)
      if (attempt.status < 200 || attempt.status >= 300)
        attempt.error = `the receiver answered ${attempt.status}`
    }
    catch (cause) {
      attempt.error = (cause as Error)?.message ?? String(cause)
    }
    if (attempt.error === null) {
      await mine().update({
        delivered_at: Date.now(),
        locked_by: null,
        locked_until: null,
        last_error: null,
      })
      await this.hooks.settled?.(row, 'delivered', attempt)
      return true
    }
    const text = attempt.error.replace(/\s+/g, ' ').slice(0, 500)
    attempt.error = text
    const wait = this.retryWait(row.attempts)
    const tooLate = this.settings.maxAgeMs !== undefined && Date.now() + wait - row.created_at > this.settings.maxAgeMs
    if (row.attempts >= this.settings.maxAttempts || tooLate) {
      this.strapi.log.error(`${this.hooks.name}: ${row.url} gave up on ${row.message_id} after ${row.attempts} attempts: ${text}`)
      await mine().update({
        failed_at: Date.now(),
        locked_by: null,
        locked_until: null,
        last_error: text,
      })
      await this.hooks.settled?.(row, 'gave-up', attempt)
    }
    else {
      this.strapi.log.warn(`${this.hooks.name}: ${row.url} attempt ${row.attempts} failed (${text}); next in ${Math.round(wait / 1000)} s`)
      await mine().update({
        next_attempt_at: Date.now() + wait,
        locked_by: null,
        locked_until: null,
        last_error: text,
      })
      await this.hooks.settled?.(row, 'retrying', attempt)
    }
    return false
  }
}
