/**
 * The outbox worker (docs/notifications.md, "Sending"), one per CMS instance: claims a batch of due
 * outbox rows, sends them through the email plugin (nodemailer pool) a few at a time, records the
 * outcomes and the article's mailing counters, and starts again at once when the batch was full,
 * else after a short sleep (or when woken by a new announcement).
 *
 * Settings (environment, read on start): NOTIFY_BATCH_SIZE (50), NOTIFY_CONCURRENCY (8),
 * NOTIFY_POLL_MS (1000), NOTIFY_LEASE_MS (300000), NOTIFY_RETRY_BASE_MS (30000),
 * NOTIFY_MAX_ATTEMPTS (5), NOTIFY_SHUTDOWN_MS (15000), MAIL_UNSUBSCRIBE.
 */
import type { Core } from '@strapi/strapi'
import type { NewsArticle, NewsRecipient } from './news-mail'
import type { ClaimedRow, Outcome } from './outbox'
import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import { positiveSetting } from '../utils/env'
import { NEWS_UID } from './announce'
import { bareAddress, newsMail } from './news-mail'
import { claim, markOutcomes, release, updateMailing } from './outbox'
import { mailSender } from './sender'
import { SUBSCRIBER_UID } from './subscriptions'

export interface WorkerSettings {
  batchSize: number
  concurrency: number
  pollMs: number
  leaseMs: number
  retryBaseMs: number
  maxAttempts: number
  shutdownMs: number
}

export function workerSettings(): WorkerSettings {
  return {
    batchSize: Math.floor(positiveSetting(process.env.NOTIFY_BATCH_SIZE, 50)),
    concurrency: Math.floor(positiveSetting(process.env.NOTIFY_CONCURRENCY, 8)),
    pollMs: positiveSetting(process.env.NOTIFY_POLL_MS, 1000),
    leaseMs: positiveSetting(process.env.NOTIFY_LEASE_MS, 300_000),
    retryBaseMs: positiveSetting(process.env.NOTIFY_RETRY_BASE_MS, 30_000),
    maxAttempts: Math.floor(positiveSetting(process.env.NOTIFY_MAX_ATTEMPTS, 5)),
    shutdownMs: positiveSetting(process.env.NOTIFY_SHUTDOWN_MS, 15_000),
  }
}

interface SmtpError {
  message?: string
  responseCode?: number
  response?: string
  code?: string
}

/** 5xx: the server refused for good; 4xx and connection errors (no reply code): try again later. */
export function classify(error: unknown, attempts: number, maxAttempts: number): Outcome {
  const smtp = (error ?? {}) as SmtpError
  const text = smtp.response || smtp.message || String(error)
  const detail = smtp.responseCode
    ? `${text}`
    : `${smtp.code
      ? `${smtp.code}: `
      : ''}${text}`
  if (typeof smtp.responseCode === 'number' && smtp.responseCode >= 500)
    return { status: 'failed', error: detail }
  if (attempts >= maxAttempts)
    return { status: 'failed', error: `${detail} (after ${attempts} attempts)` }
  return { status: 'retry', error: detail }
}

/** Runs `work` over `items`, at most `limit` at a time, until `stopped()`; returns the items started. */
async function eachLimited<T>(items: T[], limit: number, stopped: () => boolean, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const lane = async () => {
    while (next < items.length && !stopped()) {
      const item = items[next++]!
      await work(item)
    }
  }
  await Promise.all(Array.from({
    length: Math.min(limit, items.length),
  }, lane))
}

interface SubscriberRow {
  id: number
  email: string
  subscription: string
  allNews: boolean
  subjectRef: string
  topics?: Array<{ documentId: string, title: string, publishedAt?: string | null }>
}

export class OutboxWorker {
  readonly id = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`
  private running = false
  private stopping = false
  private loop: Promise<void> | null = null
  private wakeUp: (() => void) | null = null
  private woken = false
  private readonly inFlight = new Set<number>()

  constructor(private readonly strapi: Core.Strapi, private readonly settings: WorkerSettings = workerSettings()) {}

  start(): void {
    if (this.running)
      return
    this.running = true
    this.loop = this.run()
  }

  /** New rows are due: claim now instead of after the poll interval. */
  wake(): void {
    this.woken = true
    this.wakeUp?.()
  }

  /** Stops claiming, waits (bounded) for the batch under way, and puts back the rows it did not start. */
  async stop(): Promise<void> {
    if (!this.running)
      return
    this.stopping = true
    this.wakeUp?.()
    let timer: NodeJS.Timeout | undefined
    await Promise.race([
      this.loop,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, this.settings.shutdownMs)
      }),
    ])
    clearTimeout(timer)
    this.running = false
    await release(this.strapi, this.id, [...this.inFlight]).catch((error: unknown) => {
      this.strapi.log.error(`news notifications: could not return claimed mails to the outbox: ${String(error)}`)
    })
  }

  private async sleep(ms: number): Promise<void> {
    if (this.woken || this.stopping) {
      this.woken = false
      return
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms)
      this.wakeUp = () => {
        clearTimeout(timer)
        resolve()
      }
    })
    this.wakeUp = null
    this.woken = false
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      let full = false
      try {
        full = (await this.runBatch()) >= this.settings.batchSize
      }
      catch (error) {
        if (this.stopping)
          break
        this.strapi.log.error(`news notifications: outbox batch failed: ${error instanceof Error
          ? error.message.slice(0, 300)
          : String(error)}`)
      }
      if (!full)
        await this.sleep(this.settings.pollMs)
    }
  }

  /** Claims and sends one batch; returns the number of rows claimed. */
  async runBatch(): Promise<number> {
    const rows = await claim(this.strapi, this.id, this.settings.batchSize, this.settings.leaseMs)
    if (!rows.length)
      return 0
    const outcomes = new Map<number, Outcome>()
    try {
      await this.send(rows, outcomes)
    }
    finally {
      if (outcomes.size)
        await markOutcomes(this.strapi, this.id, outcomes, this.settings.retryBaseMs)
      for (const documentId of new Set(rows.map(row => row.articleDocumentId)))
        await updateMailing(this.strapi, documentId)
    }
    return rows.length
  }

  private async send(rows: ClaimedRow[], outcomes: Map<number, Outcome>): Promise<void> {
    const strapi = this.strapi
    const articles = await this.articles([
      ...new Set(rows.map(row => row.articleDocumentId)),
    ])
    const subscribers = await strapi.db.query(SUBSCRIBER_UID).findMany({
      select: [
        'id',
        'email',
        'subscription',
        'allNews',
        'subjectRef',
      ],
      where: {
        id: {
          $in: [
            ...new Set(rows.map(row => row.subscriberId)),
          ],
        },
      },
      populate: {
        topics: {
          select: ['documentId', 'title', 'publishedAt'],
        },
      },
    }) as SubscriberRow[]
    const byId = new Map(subscribers.map(subscriber => [
      Number(subscriber.id),
      subscriber,
    ]))
    const sender = await mailSender(strapi)
    const settings = strapi.config.get('plugin::email.settings', {}) as { defaultFrom?: string, defaultReplyTo?: string }
    const unsubscribeAddress = bareAddress(process.env.MAIL_UNSUBSCRIBE?.trim())
      ?? bareAddress(sender.replyTo ?? sender.from)
      ?? bareAddress(settings.defaultReplyTo ?? settings.defaultFrom)
    const email = strapi.plugin('email').service('email')

    const toSend: Array<{ row: ClaimedRow, article: NewsArticle, recipient: NewsRecipient }> = []
    for (const row of rows) {
      const article = articles.get(row.articleDocumentId)
      const subscriber = byId.get(row.subscriberId)
      if (!article) {
        outcomes.set(row.id, { status: 'skipped', error: 'The article is no longer published for everyone' })
      }
      else if (!subscriber || subscriber.subscription !== 'confirmed') {
        outcomes.set(row.id, { status: 'skipped', error: 'The subscriber is no longer subscribed' })
      }
      else {
        toSend.push({
          row,
          article,
          recipient: recipientOf(subscriber),
        })
      }
    }

    await eachLimited(toSend, this.settings.concurrency, () => this.stopping, async ({ row, article, recipient }) => {
      this.inFlight.add(row.id)
      try {
        await email.send(newsMail(article, recipient, sender, unsubscribeAddress, row.messageId))
        outcomes.set(row.id, { status: 'sent' })
      }
      catch (error) {
        outcomes.set(row.id, classify(error, row.attempts, this.settings.maxAttempts))
      }
      finally {
        this.inFlight.delete(row.id)
      }
    })
  }

  /** The published, public versions of the articles of a batch. */
  private async articles(documentIds: string[]): Promise<Map<string, NewsArticle>> {
    const found = await this.strapi.documents(NEWS_UID).findMany({
      filters: {
        documentId: { $in: documentIds },
        visibility: 'public',
      },
      status: 'published',
      fields: ['title', 'slug', 'date', 'summary'],
      limit: documentIds.length,
    } as never) as unknown as NewsArticle[]
    return new Map(found.map(article => [article.documentId, article]))
  }
}

function recipientOf(subscriber: SubscriberRow): NewsRecipient {
  // a topic may be linked by its draft or its published row: one title per topic, the published one
  const titles = new Map<string, string>()
  for (const topic of subscriber.topics ?? []) {
    if (!titles.has(topic.documentId) || topic.publishedAt)
      titles.set(topic.documentId, topic.title)
  }
  return {
    id: Number(subscriber.id),
    email: subscriber.email,
    subjectRef: subscriber.subjectRef,
    allNews: Boolean(subscriber.allNews),
    topics: [
      ...titles.values(),
    ],
  }
}
