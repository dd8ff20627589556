/**
 * Scheduled publishing (README "Editors", docs/scheduling.md): the two schedule fields of news
 * articles and publications, and the rules every write of them follows, as a Document Service
 * middleware (admin, code and seed alike).
 *
 * - The schedule lives on the draft: the Content Manager edits the draft, and the scheduler
 *   (./scheduler.ts) reads draft rows only. `publishAt` publishes the draft as it then is;
 *   `unpublishAt` takes the published version down (the draft stays).
 * - A changed `publishAt` or `unpublishAt` must not be in the past (PAST_GRACE_MS of leeway for a
 *   time picked "now" in the admin's minute picker); a value carried over unchanged is accepted
 *   even once due (an editor saving other fields of a due entry loses nothing).
 * - When both are set, `unpublishAt` must be later than `publishAt`.
 * - A refused write answers 400 (ValidationError, `details.errors[].path` naming the field, which
 *   the admin shows under it) and writes nothing.
 * - Publishing by any other way (the Publish button, code) clears `publishAt`: the scheduled
 *   publication has happened. `unpublishAt` stays.
 * - A copy (the admin's "Duplicate", `clone`) has the schedule it is given, checked as for a new
 *   entry, never the one of the entry it copies.
 *
 * Both fields are `private`: the Content API never returns them, and refuses them in filters, sort
 * and fields (400).
 */
import type { Core, UID } from '@strapi/strapi'
import { errors } from '@strapi/utils'

export const SCHEDULED_TYPES = [
  'api::news-article.news-article',
  'api::publication.publication',
] as const satisfies readonly UID.ContentType[]

export type ScheduledType = typeof SCHEDULED_TYPES[number]

export const SCHEDULE_FIELDS = ['publishAt', 'unpublishAt'] as const
export type ScheduleField = typeof SCHEDULE_FIELDS[number]

/** A new time up to this long in the past is accepted (and acted on at the next tick). */
export const PAST_GRACE_MS = 60_000

const LABELS: Record<ScheduleField, string> = {
  publishAt: 'Publish at',
  unpublishAt: 'Unpublish at',
}

export function isScheduledType(uid: string): uid is ScheduledType {
  return (SCHEDULED_TYPES as readonly string[]).includes(uid)
}

export interface ScheduleError {
  path: [ScheduleField]
  message: string
  name: 'ValidationError'
}

/** Epoch ms of a stored or submitted value; null when empty, NaN when not a date. */
export function timeOf(value: unknown): number | null {
  if (value === null || value === undefined || value === '')
    return null
  if (value instanceof Date)
    return value.getTime()
  if (typeof value === 'number')
    return value
  if (typeof value === 'string') {
    // SQLite returns the stored epoch ms as a string in raw reads; the API sends ISO 8601
    return /^\d+$/.test(value)
      ? Number(value)
      : Date.parse(value)
  }
  return Number.NaN
}

function error(field: ScheduleField, message: string): ScheduleError {
  return {
    path: [field],
    message,
    name: 'ValidationError',
  }
}

/**
 * The errors of a write, pure: `stored` is the draft as it is (empty for a new entry), `submitted`
 * the data sent (a field absent from it is kept as stored).
 */
export function scheduleErrors(stored: Partial<Record<ScheduleField, unknown>>, submitted: Record<string, unknown>, now: number): ScheduleError[] {
  const found: ScheduleError[] = []
  const result: Partial<Record<ScheduleField, number | null>> = {}
  for (const field of SCHEDULE_FIELDS) {
    const before = timeOf(stored[field])
    if (!(field in submitted)) {
      result[field] = before
      continue
    }
    const after = timeOf(submitted[field])
    result[field] = after
    if (after === null || after === before)
      continue
    if (Number.isNaN(after))
      found.push(error(field, `${LABELS[field]} is not a valid date and time.`))
    else if (after < now - PAST_GRACE_MS)
      found.push(error(field, `${LABELS[field]} is in the past. Choose a time in the future, or leave it empty.`))
  }
  const { publishAt, unpublishAt } = result
  if (!found.length && typeof publishAt === 'number' && typeof unpublishAt === 'number' && unpublishAt <= publishAt)
    found.push(error('unpublishAt', 'Unpublish at must be later than Publish at.'))
  return found
}

/** The draft's schedule (a document has one draft row: these types are not localised). */
async function storedSchedule(strapi: Core.Strapi, uid: ScheduledType, documentId: string) {
  const draft = await strapi.db.query(uid).findOne({
    where: { documentId, publishedAt: null },
    select: [...SCHEDULE_FIELDS],
  }) as Partial<Record<ScheduleField, unknown>> | null
  return draft ?? {}
}

/** Clears `publishAt` on the draft of a document (a query-engine write: no Document Service event). */
export async function clearPublishAt(strapi: Core.Strapi, uid: ScheduledType, documentId: string): Promise<void> {
  await strapi.db.query(uid).updateMany({
    where: {
      documentId,
      publishedAt: null,
      publishAt: { $notNull: true },
    },
    data: { publishAt: null },
  })
}

interface WriteParams {
  documentId?: string
  status?: string
  data?: Record<string, unknown>
}

/** Register phase: the rules above, on every Document Service write of the scheduled types. */
export function registerScheduleRules(strapi: Core.Strapi): void {
  strapi.documents.use(async (context, next) => {
    const uid = context.uid as string
    if (!isScheduledType(uid))
      return next()
    if (context.action === 'publish') {
      const { documentId } = (context.params ?? {}) as WriteParams
      if (!documentId)
        return next()
      // one transaction: the draft is published without its publishAt, or nothing happens
      return strapi.db.transaction(async () => {
        await clearPublishAt(strapi, uid, documentId)
        return next()
      })
    }
    if (context.action !== 'create' && context.action !== 'update' && context.action !== 'clone')
      return next()
    const params = (context.params ?? {}) as WriteParams
    const data = params.data ?? {}
    const publishing = params.status === 'published'
    const cloning = context.action === 'clone'
    if (!publishing && !cloning && !SCHEDULE_FIELDS.some(field => field in data))
      return next()
    const submitted = cloning
      ? { publishAt: null, unpublishAt: null, ...data }
      : publishing
        ? { ...data, publishAt: null }
        : data
    const stored = context.action === 'update' && params.documentId
      ? await storedSchedule(strapi, uid, params.documentId)
      : {}
    const found = scheduleErrors(stored, submitted, Date.now())
    if (found.length)
      throw new errors.ValidationError(found.map(item => item.message).join(' '), { errors: found })
    if (publishing || cloning)
      context.params = { ...params, data: submitted } as typeof context.params
    return next()
  })
}
