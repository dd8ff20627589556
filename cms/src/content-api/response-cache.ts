/**
 * The response cache of anonymous Content API reads (served by src/middlewares/response-cache.ts).
 *
 * What is cached: a GET of a public content type's core route (`/api/<pluralName>[/<id>]`, or
 * `/api/<singularName>` of a single type; members-only types never) answering 200 with JSON, asked
 * with no Authorization header, no preview token and no cookie, so by the `anonymous` caller of
 * ./caller.ts and nobody else. A request that carries any credential is never answered from the
 * cache and its answer is never stored: anonymous, member, token and preview answers cannot mix.
 * The key is the path and the query string with its parameters decoded and put in a stable order
 * (`a=1&b=2` and `b=2&a=1` share an entry).
 *
 * Invalidation: every write that can change an anonymous answer (any Document Service write of an
 * `api::` type, any write through the query engine to a public content type, an upload file, or a
 * users-permissions role or permission) bumps a generation counter kept in the database
 * (`isecg_cache_generation`, one row) in the writer's transaction and empties this instance's cache
 * when it commits. Each instance reads the counter at most once per RESPONSE_CACHE_CHECK_MS (1 s)
 * before answering from its cache and empties the cache when the counter moved, so another
 * instance serves a previous answer for at most about one second after a write commits (plus the
 * time of a request already running). A write made with raw SQL outside the CMS is not seen; entries
 * also expire after RESPONSE_CACHE_TTL_SECONDS (300) whatever happens.
 *
 * Memory: at most RESPONSE_CACHE_MAX_ENTRIES (500) answers and RESPONSE_CACHE_MAX_MB (32) MB of
 * bodies, least recently used first out; an answer larger than an eighth of that is not stored.
 * RESPONSE_CACHE=false turns the cache off.
 */
import type { Core } from '@strapi/strapi'
import { policyOf } from './policy'

const TABLE = 'isecg_cache_generation'
const ROW_ID = 1

export interface CacheOptions {
  enabled: boolean
  maxEntries: number
  maxBytes: number
  maxEntryBytes: number
  ttlMs: number
  checkMs: number
}

export interface CachedResponse {
  body: Buffer
  type: string
}

interface Entry extends CachedResponse {
  expiresAt: number
}

function numberFrom(value: string | undefined, fallback: number, min: number): number {
  const parsed = Number(value)
  return value !== undefined && value.trim() !== '' && Number.isFinite(parsed) && parsed >= min
    ? parsed
    : fallback
}

export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): CacheOptions {
  const maxBytes = Math.round(numberFrom(env.RESPONSE_CACHE_MAX_MB, 32, 0) * 1024 * 1024)
  return {
    enabled: env.RESPONSE_CACHE?.trim().toLowerCase() !== 'false',
    maxEntries: Math.floor(numberFrom(env.RESPONSE_CACHE_MAX_ENTRIES, 500, 0)),
    maxBytes,
    maxEntryBytes: Math.floor(maxBytes / 8),
    ttlMs: numberFrom(env.RESPONSE_CACHE_TTL_SECONDS, 300, 0) * 1000,
    checkMs: numberFrom(env.RESPONSE_CACHE_CHECK_MS, 1000, 0),
  }
}

/** A least-recently-used map bounded by entries and bytes. Pure: exported for unit tests. */
export class ResponseStore {
  private readonly entries = new Map<string, Entry>()
  private size = 0
  /** bumped by every clear(): an answer computed before a clear is not stored after it */
  epoch = 0

  constructor(private readonly options: Pick<CacheOptions, 'maxEntries' | 'maxBytes' | 'maxEntryBytes' | 'ttlMs'>) {}

  get bytes() {
    return this.size
  }

  get count() {
    return this.entries.size
  }

  get(key: string, now = Date.now()): CachedResponse | undefined {
    const entry = this.entries.get(key)
    if (!entry)
      return undefined
    this.entries.delete(key)
    if (entry.expiresAt <= now) {
      this.size -= entry.body.length
      return undefined
    }
    this.entries.set(key, entry)
    return entry
  }

  /** Stores an answer computed while `epoch` was current; false when it was not stored. */
  set(key: string, response: CachedResponse, epoch: number, now = Date.now()): boolean {
    if (epoch !== this.epoch || response.body.length > this.options.maxEntryBytes || this.options.maxEntries < 1)
      return false
    const previous = this.entries.get(key)
    if (previous) {
      this.entries.delete(key)
      this.size -= previous.body.length
    }
    this.entries.set(key, { ...response, expiresAt: now + this.options.ttlMs })
    this.size += response.body.length
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= this.options.maxEntries && this.size <= this.options.maxBytes)
        break
      this.entries.delete(oldest)
      this.size -= entry.body.length
    }
    return true
  }

  clear() {
    this.entries.clear()
    this.size = 0
    this.epoch++
  }
}

/** The cache key of a path and raw query string: parameters decoded, stably ordered by name. Pure. */
export function cacheKey(path: string, querystring: string): string {
  const params = [
    ...new URLSearchParams(querystring),
  ]
  params.sort((a, b) => a[0] < b[0]
    ? -1
    : a[0] > b[0]
      ? 1
      : 0)
  const query = new URLSearchParams(params).toString()
  return query
    ? `GET ${path}?${query}`
    : `GET ${path}`
}

/**
 * Headers that may make the caller someone other than `anonymous` (caller.ts reads the first two;
 * no Content API authentication reads cookies today, but a request with cookies is left uncached so
 * that one added later cannot mix answers).
 */
const CREDENTIAL_HEADERS = ['authorization', 'x-preview-token', 'cookie']

export function hasCredentials(headers: Record<string, string | string[] | undefined>): boolean {
  return CREDENTIAL_HEADERS.some(name => headers[name] !== undefined)
}

/** The Content API paths whose anonymous answers may be cached: public types' core routes. */
export function cacheablePaths(strapi: Core.Strapi): RegExp {
  const collections: string[] = []
  const singles: string[] = []
  for (const [uid, contentType] of Object.entries(strapi.contentTypes)) {
    if (!uid.startsWith('api::') || policyOf(uid).membersOnly)
      continue
    const { kind, info } = contentType as { kind?: string, info: { singularName: string, pluralName: string } }
    if (kind === 'singleType')
      singles.push(info.singularName)
    else collections.push(info.pluralName)
  }
  const escape = (name: string) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const alternatives = [
    ...collections.map(name => `${escape(name)}(?:/[^/]+)?`),
    ...singles.map(escape),
  ]
  return alternatives.length
    ? new RegExp(`^/api/(?:${alternatives.join('|')})/?$`)
    : /$^/
}

/** The counter's table: created when missing, left alone by Strapi's schema sync (not a model). */
export async function ensureGenerationTable(strapi: Core.Strapi): Promise<void> {
  const schema = strapi.db.getSchemaConnection()
  if (!(await schema.hasTable(TABLE))) {
    try {
      await strapi.db.getSchemaConnection().createTable(TABLE, (table) => {
        table.integer('id').primary()
        table.bigInteger('generation').notNullable()
      })
    }
    catch (error) {
      if (!(await strapi.db.getSchemaConnection().hasTable(TABLE)))
        throw error
    }
  }
  const existing = await strapi.db.getConnection(TABLE).where({ id: ROW_ID }).first()
  if (!existing) {
    try {
      await strapi.db.getConnection(TABLE).insert({ id: ROW_ID, generation: 0 })
    }
    catch (error) {
      // another instance inserted it first
      if (!(await strapi.db.getConnection(TABLE).where({ id: ROW_ID }).first()))
        throw error
    }
  }
}

export async function readGeneration(strapi: Core.Strapi): Promise<number> {
  const row = await strapi.db.getConnection(TABLE).select('generation').where({ id: ROW_ID }).first() as { generation?: number | string } | undefined
  return Number(row?.generation ?? 0)
}

/** The cache of one Strapi instance. */
export class ResponseCache {
  readonly store: ResponseStore
  readonly paths: RegExp
  private known: number | undefined
  private checkedAt = Number.NEGATIVE_INFINITY
  private checking: Promise<void> | undefined

  constructor(private readonly strapi: Core.Strapi, readonly options: CacheOptions) {
    this.store = new ResponseStore(options)
    this.paths = cacheablePaths(strapi)
  }

  /** Empties the cache when the database's generation moved since the last look (at most once per checkMs). */
  async sync(now = Date.now()): Promise<void> {
    if (now - this.checkedAt < this.options.checkMs)
      return
    this.checking ??= readGeneration(this.strapi).then((generation) => {
      if (generation !== this.known) {
        this.store.clear()
        this.known = generation
      }
      this.checkedAt = Date.now()
    }).finally(() => {
      this.checking = undefined
    })
    await this.checking
  }

  /** This instance's own write committed as `generation` (its cache was just emptied): no need to empty it again. */
  committed(generation: number) {
    if (this.known === undefined || generation > this.known)
      this.known = generation
  }
}

const caches = new WeakMap<Core.Strapi, ResponseCache>()
/** instances whose counter table exists (bootstrap done) */
const ready = new WeakSet<Core.Strapi>()

export function responseCache(strapi: Core.Strapi): ResponseCache {
  let cache = caches.get(strapi)
  if (!cache) {
    cache = new ResponseCache(strapi, optionsFromEnv())
    caches.set(strapi, cache)
  }
  return cache
}

/**
 * Records a change: bumps the generation in the current transaction (or a transaction of its own)
 * once per transaction, and empties this instance's cache now and again when that commits.
 */
const bumped = new WeakSet<object>()
export async function bumpGeneration(strapi: Core.Strapi): Promise<void> {
  const cache = caches.get(strapi)
  cache?.store.clear()
  // before bootstrap made the table (plugins' own bootstrap writes) there is nothing to bump; no
  // query outside the writer's transaction here: SQLite has one connection, held by that transaction
  if (!ready.has(strapi))
    return
  await strapi.db.transaction(async ({ trx, onCommit }) => {
    if (bumped.has(trx))
      return
    bumped.add(trx)
    const schema = strapi.db.getSchemaName()
    const table = schema
      ? `${schema}.${TABLE}`
      : TABLE
    await trx(table).where({ id: ROW_ID }).increment('generation', 1)
    // the row is locked by this transaction until it ends: this is the value it commits
    const row = await trx(table).select('generation').where({ id: ROW_ID }).first() as { generation?: number | string } | undefined
    onCommit(() => {
      cache?.store.clear()
      cache?.committed(Number(row?.generation ?? 0))
    })
  })
}

const CONTENT_ACTIONS_READ = new Set([
  'findMany',
  'findFirst',
  'findOne',
  'count',
])

/** Models outside `api::` whose writes change anonymous answers (media fields, Public role). */
const OTHER_MODELS = new Set([
  'plugin::upload.file',
  'plugin::users-permissions.permission',
  'plugin::users-permissions.role',
])

const WRITE_EVENTS = [
  'afterCreate',
  'afterCreateMany',
  'afterUpdate',
  'afterUpdateMany',
  'afterDelete',
  'afterDeleteMany',
] as const

/** Whether a write to this model can change an anonymous answer. */
function affectsAnonymous(uid: string): boolean {
  // members-only types are never part of an anonymous answer (policy.ts); their writes (member
  // downloads, subscriptions) do not empty the cache
  return (uid.startsWith('api::') && !policyOf(uid).membersOnly) || OTHER_MODELS.has(uid)
}

/** Register phase: invalidation on Document Service writes and on query-engine writes. */
export function registerResponseCacheInvalidation(strapi: Core.Strapi): void {
  strapi.documents.use(async (context, next) => {
    const result = await next()
    if (!CONTENT_ACTIONS_READ.has(context.action) && affectsAnonymous(context.uid))
      await bumpGeneration(strapi)
    return result
  })
  const subscriber: Record<string, unknown> = {}
  for (const event of WRITE_EVENTS) {
    subscriber[event] = async ({ model }: { model: { uid: string } }) => {
      if (affectsAnonymous(model.uid))
        await bumpGeneration(strapi)
    }
  }
  strapi.db.lifecycles.subscribe(subscriber as never)
}

/** Bootstrap phase: the counter's table, then the cache may be used. */
export async function ensureResponseCache(strapi: Core.Strapi): Promise<void> {
  await ensureGenerationTable(strapi)
  ready.add(strapi)
}
