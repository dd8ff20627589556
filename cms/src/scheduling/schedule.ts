/**
 * The schedule of news articles and publications and its rules, as pure code shared by the CMS
 * (./rules.ts, ./scheduler.ts, the bootstrap) and the admin panel (src/admin/schedule-panel.tsx,
 * which warns an editor before a save the CMS would refuse). No server imports here.
 */
import type { UID } from '@strapi/strapi'

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
