/**
 * Announcing a news article (docs/notifications.md, "Sending"): a Document Service middleware
 * notices the first publication of a public article and, once, creates its news mailing and one
 * outbox row per matching confirmed subscriber. The worker (./worker.ts) sends them.
 *
 * The work starts after the publishing transaction has committed (so it reads what was published
 * and never writes inside the editor's transaction) and runs in a transaction of its own: the
 * announced row, the mailing and the outbox rows exist together or not at all.
 */
import type { Core } from '@strapi/strapi'
import { newsMessageId } from './news-mail'
import { enqueue, markAnnounced } from './outbox'
import { SUBSCRIBER_UID } from './subscriptions'

export const NEWS_UID = 'api::news-article.news-article'
const MAILING_UID = 'api::news-mailing.news-mailing'

/** Subscribers are read this many at a time (by id), never all at once. */
export const SUBSCRIBER_PAGE = 1000

interface AnnounceOptions {
  /** false until the start-up has recorded the articles already published (the seed mails nobody) */
  enabled: () => boolean
  /** called once outbox rows exist (wakes the local worker) */
  onQueued: () => void
  /** announcements under way, so that shutdown can wait for them */
  track: (work: Promise<unknown>) => void
}

interface PublishedArticle {
  documentId: string
  title: string
  visibility: string
  topics?: Array<{ documentId: string }>
}

/** Creates the mailing and outbox rows of a newly published article; the number of recipients, or null when it was announced already or is not to be announced. */
export async function announce(strapi: Core.Strapi, documentId: string): Promise<number | null> {
  const article = await strapi.documents(NEWS_UID).findOne({
    documentId,
    status: 'published',
    fields: ['title', 'visibility'],
    populate: {
      topics: {
        fields: ['documentId'],
      },
    },
  } as never) as unknown as PublishedArticle | null
  if (!article || article.visibility !== 'public')
    return null
  const topicIds = [
    ...new Set((article.topics ?? []).map(topic => topic.documentId)),
  ]

  return strapi.db.transaction(async ({ trx }) => {
    if (!(await markAnnounced(trx, strapi, documentId)))
      return null
    const startedAt = new Date()
    const mailing = await strapi.documents(MAILING_UID).create({
      data: {
        articleDocumentId: documentId,
        title: article.title,
        progress: 'sending',
        recipients: 0,
        sent: 0,
        pending: 0,
        failed: 0,
        startedAt,
      },
    } as never)
    let recipients = 0
    let afterId = 0
    for (;;) {
      const page = await strapi.db.query(SUBSCRIBER_UID).findMany({
        select: ['id'],
        where: {
          id: { $gt: afterId },
          subscription: 'confirmed',
          $or: [
            { allNews: true },
            ...(topicIds.length
              ? [
                  {
                    topics: {
                      documentId: { $in: topicIds },
                    },
                  },
                ]
              : []),
          ],
        },
        orderBy: { id: 'asc' },
        limit: SUBSCRIBER_PAGE,
      }) as Array<{ id: number }>
      if (!page.length)
        break
      const ids = [
        ...new Set(page.map(row => Number(row.id))),
      ]
      recipients += await enqueue(trx, strapi, documentId, ids, id => newsMessageId(documentId, id))
      afterId = Math.max(...ids)
      if (page.length < SUBSCRIBER_PAGE)
        break
    }
    await strapi.db.query(MAILING_UID).update({
      where: { id: (mailing as { id: number }).id },
      data: {
        recipients,
        pending: recipients,
        ...(recipients === 0
          ? { progress: 'done', finishedAt: startedAt }
          : {}),
      },
    })
    return recipients
  })
}

interface DocumentParams {
  documentId?: string
  status?: string
}

export function registerAnnouncements(strapi: Core.Strapi, options: AnnounceOptions): void {
  strapi.documents.use(async (context, next) => {
    if (context.uid !== NEWS_UID)
      return next()
    const params = (context.params ?? {}) as DocumentParams
    const publishing = context.action === 'publish'
      || ((context.action === 'create' || context.action === 'update') && params.status === 'published')
    const result = await next()
    if (!publishing || !options.enabled())
      return result
    const documentId = params.documentId ?? (result as { documentId?: string } | null)?.documentId
    if (!documentId)
      return result
    // After the caller's transaction (if any) commits: outside one, right away.
    strapi.db.transaction(({ onCommit }) => {
      onCommit(() => {
        options.track(announce(strapi, documentId).then((recipients) => {
          if (recipients)
            options.onQueued()
        }, (error: unknown) => {
          strapi.log.error(`news notifications: announcing article ${documentId} failed: ${error instanceof Error
            ? error.message.slice(0, 300)
            : String(error)}`)
        }))
      })
    })
    return result
  })
}
