/**
 * Counters for rate limits and account locks, kept in the database so that every CMS instance
 * shares them: one row per counter in `isecg_rate_limits` (a table of our own, created here and left
 * alone by Strapi's schema sync), updated by a single atomic upsert (SQLite and PostgreSQL alike).
 * Keys are stored as sha256 hashes: the table holds no email address or IP address in clear.
 */
import type { Core } from '@strapi/strapi'
import { createHash } from 'node:crypto'

const TABLE = 'isecg_rate_limits'

export interface Rule {
  /** how long a counter lives after its first hit */
  windowMs: number
  /** hits allowed within the window; the caller refuses the ones beyond */
  limit: number
  /** from the hit that reaches `limit`, the counter lives this long instead (a lock) */
  blockMs?: number
}

export interface Count {
  hits: number
  /** epoch milliseconds when the counter expires */
  resetAt: number
}

const hash = (key: string) => createHash('sha256').update(key).digest('hex')

function tableName(strapi: Core.Strapi): string {
  const schema = strapi.db.getSchemaName()
  return schema
    ? `${schema}.${TABLE}`
    : TABLE
}

function rowsOf(result: unknown): Array<Record<string, unknown>> {
  if (Array.isArray(result))
    return result as Array<Record<string, unknown>>
  return ((result as { rows?: Array<Record<string, unknown>> }).rows) ?? []
}

/** Creates the table when missing (several instances may race: the loser finds it created). */
export async function ensureRateLimitTable(strapi: Core.Strapi): Promise<void> {
  if (!(await strapi.db.getSchemaConnection().hasTable(TABLE))) {
    try {
      await strapi.db.getSchemaConnection().createTable(TABLE, (table) => {
        table.string('id_hash', 64).primary()
        table.integer('hits').notNullable()
        table.bigInteger('reset_at').notNullable().index()
      })
    }
    catch (error) {
      if (!(await strapi.db.getSchemaConnection().hasTable(TABLE)))
        throw error
    }
  }
  await purgeExpired(strapi)
}

export async function purgeExpired(strapi: Core.Strapi): Promise<void> {
  await strapi.db.connection.raw('delete from ?? where reset_at <= cast(? as bigint)', [
    tableName(strapi),
    Date.now(),
  ])
}

/** Counts `count` hits (one by default) on `key` and returns the count within the current window. */
export async function hit(strapi: Core.Strapi, key: string, rule: Rule, count = 1): Promise<Count> {
  const now = Date.now()
  const windowEnd = now + rule.windowMs
  const blockEnd = now + (rule.blockMs ?? rule.windowMs)
  const first = rule.limit <= count
    ? blockEnd
    : windowEnd
  // a block (blockMs) starts with the hit that reaches the limit
  const lock = rule.blockMs === undefined
    ? { sql: '', bindings: [] as number[] }
    : {
        sql: 'when r.hits + ? >= ? then cast(? as bigint)',
        bindings: [count, rule.limit, blockEnd],
      }
  // Every right-hand side reads the row as it was before this statement.
  const result = await strapi.db.connection.raw(
    `insert into ?? as r (id_hash, hits, reset_at) values (?, ?, cast(? as bigint))
     on conflict (id_hash) do update set
       hits = case when r.reset_at <= cast(? as bigint) then ? else r.hits + ? end,
       reset_at = case
         when r.reset_at <= cast(? as bigint) then cast(? as bigint)
         ${lock.sql}
         else r.reset_at end
     returning hits, reset_at`,
    [
      tableName(strapi),
      hash(key),
      count,
      first,
      now,
      count,
      count,
      now,
      first,
      ...lock.bindings,
    ],
  )
  const [row] = rowsOf(result)
  if (Math.random() < 0.01)
    void purgeExpired(strapi).catch(() => {})
  return {
    hits: Number(row?.hits ?? count),
    resetAt: Number(row?.reset_at ?? first),
  }
}

/** Takes one hit back (an attempt that turned out not to be a failure). */
export async function forgive(strapi: Core.Strapi, key: string): Promise<void> {
  await strapi.db.connection.raw('update ?? set hits = hits - 1 where id_hash = ? and hits > 0', [
    tableName(strapi),
    hash(key),
  ])
}

/** Forgets `key` (e.g. the failures of an address once it has signed in). */
export async function clear(strapi: Core.Strapi, key: string): Promise<void> {
  await strapi.db.connection.raw('delete from ?? where id_hash = ?', [
    tableName(strapi),
    hash(key),
  ])
}

/** Seconds until `count` expires, at least 1 (for Retry-After). */
export function retryAfter(count: Count): number {
  return Math.max(1, Math.ceil((count.resetAt - Date.now()) / 1000))
}
