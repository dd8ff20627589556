/**
 * The scheduler (README "Editors", docs/scheduling.md), one per CMS instance: every
 * SCHEDULER_INTERVAL_MS (20 s) it looks for drafts of the scheduled types whose `publishAt` or
 * `unpublishAt` has come and carries each out through the Document Service
 * (`strapi.documents(uid).publish` / `unpublish`), so that every Document Service middleware (the
 * response cache, news notifications, the site's webhook) sees it as it sees an editor's click.
 *
 * Exactly once, on any number of instances sharing the database: each due entry is handled in a
 * transaction of its own that
 * 1. claims the draft row: on PostgreSQL `select ... for update skip locked` (an instance never
 *    waits for another, it skips the entries another holds); then, on both databases, a
 *    conditional update that clears the due field only while it is still due (`... where
 *    publish_at <= now`), which matches for one transaction only;
 * 2. publishes (or unpublishes) the document;
 * 3. commits: the cleared field and the publication become visible together.
 * If anything fails, or the instance dies, before the commit, the transaction rolls back and the
 * entry is still due: the next tick (of this or any instance) does it. A claim cannot outlive its
 * claimer: the row lock goes with the transaction, which PostgreSQL ends when the connection drops
 * or, for a claimer that hangs, after SCHEDULER_CLAIM_TIMEOUT_MS without a statement
 * (`idle_in_transaction_session_timeout`) or in one (`statement_timeout`).
 *
 * An entry whose `unpublishAt` has come is unpublished (if it is published) and its `publishAt` is
 * cleared when that has come too: after a long outage, a window that is over is not published
 * (and nobody is mailed about it). A failure (e.g. a required field left empty in the draft) is
 * logged, leaves the entry as it was and is tried again after a backoff, at once when the entry is
 * saved again.
 *
 * Settings (environment, read on start): SCHEDULER (`false`: this instance runs no scheduler),
 * SCHEDULER_INTERVAL_MS (20000), SCHEDULER_CLAIM_TIMEOUT_MS (60000).
 */
import type { Core } from '@strapi/strapi'
import type { ScheduledType } from './schedule'
import { qualified, rowsOf } from '../notifications/outbox'
import { positiveSetting } from '../utils/env'
import { SCHEDULED_TYPES, timeOf } from './schedule'

export interface SchedulerSettings {
  enabled: boolean
  intervalMs: number
  claimTimeoutMs: number
  /** due entries read per query */
  batchSize: number
  /** longest wait before a failed entry is tried again */
  maxBackoffMs: number
}

export function schedulerSettings(env: NodeJS.ProcessEnv = process.env): SchedulerSettings {
  return {
    enabled: env.SCHEDULER?.trim().toLowerCase() !== 'false',
    intervalMs: positiveSetting(env.SCHEDULER_INTERVAL_MS, 20_000),
    claimTimeoutMs: Math.floor(positiveSetting(env.SCHEDULER_CLAIM_TIMEOUT_MS, 60_000)),
    batchSize: 50,
    maxBackoffMs: 60 * 60_000,
  }
}

export type ScheduledAction = 'published' | 'unpublished' | 'cleared'

export interface Done {
  uid: ScheduledType
  documentId: string
  action: ScheduledAction
}

interface DueRow {
  id: number
  documentId: string
  publishAt: unknown
  unpublishAt: unknown
  updatedAt: unknown
}

interface Backoff {
  until: number
  failures: number
  updatedAt: number | null
}

const isPostgres = (strapi: Core.Strapi) => strapi.db.dialect.client === 'postgres'

/**
 * Carries out what is due on one draft row, in a transaction of its own; null when there is
 * nothing to do (not due any more, or another instance holds or already did it).
 */
export async function applyDue(strapi: Core.Strapi, uid: ScheduledType, id: number, now: Date, claimTimeoutMs: number): Promise<Done | null> {
  return strapi.db.transaction(async ({ trx }): Promise<Done | null> => {
    if (isPostgres(strapi)) {
      const timeout = Math.max(1, Math.floor(claimTimeoutMs))
      await trx.raw(`set local idle_in_transaction_session_timeout = ${timeout}`)
      await trx.raw(`set local statement_timeout = ${timeout}`)
      const table = strapi.db.metadata.get(uid).tableName
      const locked = rowsOf(await trx.raw('select id from ?? where id = ? and published_at is null for update skip locked', [
        qualified(strapi, table),
        id,
      ]))
      if (!locked.length)
        return null
    }
    const row = await strapi.db.query(uid).findOne({
      where: { id, publishedAt: null },
      select: ['documentId', 'publishAt', 'unpublishAt'],
    }) as Pick<DueRow, 'documentId' | 'publishAt' | 'unpublishAt'> | null
    if (!row)
      return null
    const due = (value: unknown) => {
      const time = timeOf(value)
      return time !== null && time <= now.getTime()
    }
    const documentId = row.documentId
    if (due(row.unpublishAt)) {
      const claimed = await strapi.db.query(uid).updateMany({
        where: {
          id,
          publishedAt: null,
          unpublishAt: { $lte: now },
        },
        data: due(row.publishAt)
          ? { unpublishAt: null, publishAt: null }
          : { unpublishAt: null },
      })
      if (claimed.count !== 1)
        return null
      const result = await strapi.documents(uid).unpublish({ documentId } as never) as { entries?: unknown[] } | null
      return {
        uid,
        documentId,
        action: result?.entries?.length
          ? 'unpublished'
          : 'cleared',
      }
    }
    if (due(row.publishAt)) {
      const claimed = await strapi.db.query(uid).updateMany({
        where: {
          id,
          publishedAt: null,
          publishAt: { $lte: now },
        },
        data: { publishAt: null },
      })
      if (claimed.count !== 1)
        return null
      await strapi.documents(uid).publish({ documentId } as never)
      return { uid, documentId, action: 'published' }
    }
    return null
  })
}

export class Scheduler {
  /** the scheduler's time; tests move it forward instead of waiting */
  clock: () => Date = () => new Date()
  /** what this instance carried out since it started */
  readonly stats = {
    published: 0,
    unpublished: 0,
    cleared: 0,
    failed: 0,
  }

  private timer: NodeJS.Timeout | undefined
  private running: Promise<Done[]> | undefined
  private started = false
  private stopping = false
  private readonly backoff = new Map<string, Backoff>()

  constructor(private readonly strapi: Core.Strapi, readonly settings: SchedulerSettings = schedulerSettings()) {}

  /** Ticks every intervalMs, the first one soon after start (what fell due while no instance ran). */
  start(firstTickMs = 1000): void {
    if (this.started)
      return
    this.started = true
    this.schedule(Math.min(firstTickMs, this.settings.intervalMs))
  }

  /** No more ticks; waits for the entry under way (its transaction commits or rolls back). */
  async stop(): Promise<void> {
    this.stopping = true
    clearTimeout(this.timer)
    await this.running?.catch(() => undefined)
  }

  private schedule(ms: number): void {
    if (this.stopping)
      return
    this.timer = setTimeout(() => {
      void this.tick().finally(() => this.schedule(this.settings.intervalMs))
    }, ms)
    this.timer.unref()
  }

  /** One tick at the scheduler's time; a tick already under way on this instance is joined, not doubled. */
  tick(): Promise<Done[]> {
    this.running ??= this.runDue(this.clock()).catch((error: unknown) => {
      this.strapi.log.error(`scheduler: tick failed: ${message(error)}`)
      return []
    }).finally(() => {
      this.running = undefined
    })
    return this.running
  }

  /** Carries out everything due at `now`. Safe to run concurrently, here or on other instances. */
  async runDue(now: Date): Promise<Done[]> {
    const done: Done[] = []
    for (const uid of SCHEDULED_TYPES) {
      let afterId = 0
      for (;;) {
        const rows = await this.strapi.db.query(uid).findMany({
          select: [
            'id',
            'documentId',
            'publishAt',
            'unpublishAt',
            'updatedAt',
          ],
          where: {
            id: { $gt: afterId },
            publishedAt: null,
            $or: [
              {
                publishAt: { $lte: now },
              },
              {
                unpublishAt: { $lte: now },
              },
            ],
          },
          orderBy: { id: 'asc' },
          limit: this.settings.batchSize,
        }) as DueRow[]
        for (const row of rows) {
          if (this.stopping)
            return done
          if (this.waiting(uid, row, now))
            continue
          try {
            const result = await applyDue(this.strapi, uid, Number(row.id), now, this.settings.claimTimeoutMs)
            this.backoff.delete(`${uid}:${row.id}`)
            if (result) {
              done.push(result)
              this.stats[result.action] += 1
              this.strapi.log.info(`scheduler: ${result.action} ${uid} ${result.documentId}`)
            }
          }
          catch (error) {
            this.failed(uid, row, now, error)
          }
        }
        if (rows.length < this.settings.batchSize)
          break
        afterId = Number(rows[rows.length - 1]!.id)
      }
    }
    return done
  }

  /** Whether a failed entry is still waiting for its retry (saving the entry again ends the wait). */
  private waiting(uid: string, row: DueRow, now: Date): boolean {
    const entry = this.backoff.get(`${uid}:${row.id}`)
    if (!entry)
      return false
    if (entry.updatedAt !== timeOf(row.updatedAt) || now.getTime() >= entry.until)
      return false
    return true
  }

  private failed(uid: string, row: DueRow, now: Date, error: unknown): void {
    const key = `${uid}:${row.id}`
    const failures = (this.backoff.get(key)?.failures ?? 0) + 1
    const wait = Math.min(this.settings.intervalMs * 2 ** (failures - 1), this.settings.maxBackoffMs)
    this.backoff.set(key, {
      until: now.getTime() + wait,
      failures,
      updatedAt: timeOf(row.updatedAt),
    })
    this.stats.failed += 1
    this.strapi.log.error(`scheduler: could not carry out the schedule of ${uid} ${row.documentId} (attempt ${failures}, next in ${Math.round(wait / 1000)} s): ${message(error)}`)
  }
}

function message(error: unknown): string {
  return error instanceof Error
    ? error.message.slice(0, 300)
    : String(error)
}
