/**
 * Rate limits of the REST API (`/api/*`) for the callers outside: anonymous requests per client
 * address (API_RATE_LIMIT, 600 per minute) and requests with an API token per token
 * (API_RATE_LIMIT_TOKEN, 6000 per minute). The site's own server (a valid X-Site-Key) is not limited
 * here: it answers the public, and has its own limits. API_RATE_LIMIT=off turns them off.
 *
 * The counters are shared by every CMS instance through the database (`isecg_rate_limits`, the
 * table of the Private Area's limits), without a database write per request: each instance counts
 * locally and adds what it counted to the shared counter every API_RATE_LIMIT_SYNC_MS (1000 ms), one
 * atomic upsert per active client, learning the total of all instances in return. A client is
 * refused once the last known total plus what this instance counted since reaches the limit; with N
 * instances a client can get at most about N sync intervals' worth of requests past the limit.
 */
import type { Core } from '@strapi/strapi'
import type { Rule } from '../private-area/rate-limit'
import { hit } from '../private-area/rate-limit'
import { positiveSetting } from '../utils/env'

export interface ApiRateLimitSettings {
  enabled: boolean
  anonymous: number
  token: number
  windowMs: number
  syncMs: number
}

export function apiRateLimitSettings(env: NodeJS.ProcessEnv = process.env): ApiRateLimitSettings {
  return {
    enabled: (env.API_RATE_LIMIT ?? '').trim().toLowerCase() !== 'off',
    anonymous: Math.floor(positiveSetting(env.API_RATE_LIMIT, 600)),
    token: Math.floor(positiveSetting(env.API_RATE_LIMIT_TOKEN, 6000)),
    windowMs: positiveSetting(env.API_RATE_LIMIT_WINDOW_MS, 60_000),
    syncMs: positiveSetting(env.API_RATE_LIMIT_SYNC_MS, 1000),
  }
}

interface Counter {
  /** counted here since the last sync */
  pending: number
  /** the shared total at the last sync */
  known: number
  /** epoch ms when the shared window ends (0: unknown yet) */
  resetAt: number
  limit: number
}

export interface Decision {
  allowed: boolean
  limit: number
  remaining: number
  /** seconds until the window ends */
  resetSeconds: number
}

/** Most clients tracked between syncs; beyond it the oldest are synced and forgotten early. */
const MAX_CLIENTS = 50_000

export class ApiRateLimiter {
  private readonly counters = new Map<string, Counter>()
  private timer: NodeJS.Timeout | undefined
  private syncing: Promise<void> | undefined

  constructor(private readonly strapi: Core.Strapi, readonly settings: ApiRateLimitSettings) {}

  /** Counts one request of `key` (limit `limit` per window) unless it is over the limit. */
  take(key: string, limit: number, now = Date.now()): Decision {
    let counter = this.counters.get(key)
    if (!counter) {
      counter = {
        pending: 0,
        known: 0,
        resetAt: 0,
        limit,
      }
      this.counters.set(key, counter)
      if (this.counters.size > MAX_CLIENTS)
        void this.sync()
    }
    if (counter.resetAt && now >= counter.resetAt) {
      counter.known = 0
      counter.resetAt = 0
    }
    const resetAt = counter.resetAt || now + this.settings.windowMs
    const used = counter.known + counter.pending
    const decision = (allowed: boolean, count: number): Decision => ({
      allowed,
      limit,
      remaining: Math.max(0, limit - count),
      resetSeconds: Math.max(1, Math.ceil((resetAt - now) / 1000)),
    })
    if (used >= limit)
      return decision(false, used)
    counter.pending++
    return decision(true, used + 1)
  }

  /** Adds what was counted here to the shared counters and reads their totals back. */
  async sync(): Promise<void> {
    this.syncing ??= (async () => {
      const now = Date.now()
      for (const [key, counter] of this.counters) {
        if (counter.pending === 0) {
          if (!counter.resetAt || now >= counter.resetAt)
            this.counters.delete(key)
          continue
        }
        const added = counter.pending
        const rule: Rule = { windowMs: this.settings.windowMs, limit: counter.limit }
        const total = await hit(this.strapi, `api:${key}`, rule, added)
        counter.pending -= added
        counter.known = total.hits
        counter.resetAt = total.resetAt
      }
    })().finally(() => {
      this.syncing = undefined
    })
    await this.syncing
  }

  start() {
    if (!this.settings.enabled)
      return
    this.timer = setInterval(() => {
      this.sync().catch((error: unknown) => this.strapi.log.warn(`api rate limit: sync failed (${(error as Error)?.message ?? String(error)})`))
    }, this.settings.syncMs)
    this.timer.unref()
  }

  async stop() {
    clearInterval(this.timer)
    await this.sync().catch(() => {})
  }
}

const limiters = new WeakMap<Core.Strapi, ApiRateLimiter>()

export function apiRateLimiter(strapi: Core.Strapi): ApiRateLimiter {
  let limiter = limiters.get(strapi)
  if (!limiter) {
    limiter = new ApiRateLimiter(strapi, apiRateLimitSettings())
    limiters.set(strapi, limiter)
  }
  return limiter
}
