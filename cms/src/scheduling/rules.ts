/**
 * Scheduled publishing (README "Editors", docs/scheduling.md): the two schedule fields of news
 * articles and publications, and the rules every write of them follows, as a Document Service
 * middleware (admin, code and seed alike).
 *
 * - The schedule lives on the draft: the Content Manager edits the draft, and the scheduler
 *   (./scheduler.ts) reads draft rows only. `publishAt` publishes the draft as it then is;
 *   `unpublishAt` takes the published version down (the draft stays).
 * The rules themselves are pure code in ./schedule.ts (shared with the admin panel):
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
import type { Core } from '@strapi/strapi'
import type { ScheduledType, ScheduleField } from './schedule'
import { errors } from '@strapi/utils'
import { isScheduledType, SCHEDULE_FIELDS, scheduleErrors } from './schedule'

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
