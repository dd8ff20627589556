import type { Core } from '@strapi/strapi'
import type { CmsInstance } from './harness'
import type { Mailbox, ReceivedMail } from './support/mailbox'
/**
 * Sending news notifications (docs/notifications.md, "Sending"): a real CMS publishes articles and
 * mails its subscribers through a real SMTP server in this process (scripted to refuse some
 * recipients, or slow). Subscribers are created directly, as confirmed subscriptions would be.
 */
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { manageToken, newSubjectRef } from '../src/notifications/links'
import { cmsDir, startCms } from './harness'
import { startMailbox } from './support/mailbox'
import { testDatabase, testPostgresUrl } from './support/postgres'
import { until } from './support/wait'

const NEWS_UID = 'api::news-article.news-article'
const SUBSCRIBER_UID = 'api::subscriber.subscriber'
const MAILING_UID = 'api::news-mailing.news-mailing'
const OUTBOX = 'isecg_mail_outbox'

const NOTIFY_ENV = {
  NOTIFY_RETRY_BASE_MS: '50',
  NOTIFY_POLL_MS: '100',
  NOTIFY_MAX_ATTEMPTS: '3',
  MAIL_FROM: 'ISECG Secretariat <env-sender@isecg.test>',
}

interface Subscriber { id: number, documentId: string, email: string, subjectRef: string }

async function subscribe(strapi: Core.Strapi, email: string, options: { subscription?: string, allNews?: boolean, topics?: string[] } = {}): Promise<Subscriber> {
  const subjectRef = newSubjectRef()
  const now = new Date()
  const created = await strapi.documents(SUBSCRIBER_UID).create({
    data: {
      email,
      subscription: options.subscription ?? 'confirmed',
      allNews: options.allNews ?? !options.topics?.length,
      topics: options.topics ?? [],
      subjectRef,
      policyVersion: '2026-01-01',
      requestedAt: now,
      confirmedAt: now,
    },
  } as never) as unknown as { id: number, documentId: string }
  return {
    id: created.id,
    documentId: created.documentId,
    email,
    subjectRef,
  }
}

/** Many confirmed all-news subscribers at once (a test of volume, not of the Document Service). */
async function subscribeMany(strapi: Core.Strapi, prefix: string, count: number): Promise<string[]> {
  const emails = Array.from({ length: count }, (_, index) => `${prefix}-${index}@example.org`)
  for (let start = 0; start < emails.length; start += 25)
    await Promise.all(emails.slice(start, start + 25).map(email => subscribe(strapi, email)))
  return emails
}

let articleCount = 0
async function publishArticle(strapi: Core.Strapi, fields: { title?: string, topics?: string[], visibility?: string, summary?: string } = {}, status: 'published' | 'draft' = 'published') {
  articleCount += 1
  const title = fields.title ?? `Notification test article ${articleCount}`
  return strapi.documents(NEWS_UID).create({
    data: {
      title,
      slug: `notification-test-${articleCount}-${randomBytes(3).toString('hex')}`,
      date: '2026-05-04',
      summary: fields.summary ?? `Summary of ${title}.`,
      visibility: fields.visibility ?? 'public',
      topics: fields.topics ?? [],
    },
    status,
  } as never) as unknown as Promise<{ id: number, documentId: string, slug: string, title: string }>
}

function mailingOf(strapi: Core.Strapi, documentId: string) {
  return strapi.db.query(MAILING_UID).findOne({
    where: { articleDocumentId: documentId },
  })
}

function finished(strapi: Core.Strapi, documentId: string, timeoutMs?: number) {
  return until(`the mailing of ${documentId} to finish`, async () => {
    const mailing = await mailingOf(strapi, documentId)
    return mailing?.progress === 'done' && mailing
  }, timeoutMs)
}

const outboxRows = (strapi: Core.Strapi, documentId: string) => strapi.db.connection(OUTBOX).where({ article_document_id: documentId }).orderBy('id')

const require = createRequire(import.meta.url)

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

describe('news notifications on SQLite', () => {
  let cms: CmsInstance
  let mailbox: Mailbox
  let strapi: Core.Strapi
  let topics: Array<{ documentId: string, title: string }>
  const people: Record<string, Subscriber> = {}

  beforeAll(async () => {
    mailbox = await startMailbox()
    cms = await startCms({
      env: {
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(mailbox.port),
        ...NOTIFY_ENV,
      },
    })
    strapi = cms.strapi
    topics = await strapi.documents('api::topic.topic').findMany({
      status: 'published',
      fields: ['title'],
      sort: 'title',
    } as never) as never
    expect(topics.length).toBeGreaterThanOrEqual(3)
    const settings = await strapi.documents('api::site-setting.site-setting').findFirst({ status: 'draft' } as never)
    await strapi.documents('api::site-setting.site-setting').update({
      documentId: settings!.documentId,
      data: { mailFrom: 'ISECG News <news@isecg.test>', mailReplyTo: 'Secretariat <replies@isecg.test>' },
      status: 'published',
    } as never)
    people.all = await subscribe(strapi, 'all@example.org', { allNews: true })
    people.topicA = await subscribe(strapi, 'topic-a@example.org', {
      allNews: false,
      topics: [topics[0]!.documentId, topics[2]!.documentId],
    })
    people.topicB = await subscribe(strapi, 'topic-b@example.org', {
      allNews: false,
      topics: [topics[1]!.documentId],
    })
    people.pending = await subscribe(strapi, 'pending@example.org', { subscription: 'pending', allNews: true })
    people.gone = await subscribe(strapi, 'gone@example.org', { subscription: 'unsubscribed', allNews: true })
  })

  afterAll(async () => {
    await cms?.stop()
    await mailbox?.close()
  })

  it('records the seeded articles as announced and mails nobody about them', async () => {
    const published = await strapi.db.query(NEWS_UID).count({
      where: {
        publishedAt: { $notNull: true },
      },
    })
    expect(published).toBeGreaterThan(0)
    const announced = await strapi.db.connection('isecg_news_announced').count({ n: '*' })
    expect(Number(announced[0]!.n)).toBeGreaterThan(0)
    expect(await strapi.db.query(MAILING_UID).count()).toBe(0)
    expect(await strapi.db.connection(OUTBOX).count({ n: '*' }).then(rows => Number(rows[0]!.n))).toBe(0)
  })

  let first: { documentId: string, slug: string, title: string }

  it('mails a public article once to every matching confirmed subscriber, and to nobody else', async () => {
    first = await publishArticle(strapi, {
      title: 'Moon <&> Mars "update"',
      topics: [topics[0]!.documentId],
    })
    const mailing = await finished(strapi, first.documentId)
    expect(mailing).toMatchObject({
      title: 'Moon <&> Mars "update"',
      recipients: 2,
      sent: 2,
      pending: 0,
      failed: 0,
      progress: 'done',
    })
    expect(mailing.startedAt).toBeTruthy()
    expect(mailing.finishedAt).toBeTruthy()
    await sleep(500)
    expect(mailbox.to(people.all!.email)).toHaveLength(1)
    expect(mailbox.to(people.topicA!.email)).toHaveLength(1)
    for (const other of [people.topicB!, people.pending!, people.gone!])
      expect(mailbox.to(other.email), other.email).toHaveLength(0)
  })

  it('carries the headers and links of the contract', async () => {
    const { mail } = mailbox.to(people.topicA!.email)[0]! as ReceivedMail
    const token = manageToken(people.topicA!.subjectRef)
    expect(mail.subject).toBe('ISECG news: Moon <&> Mars "update"')
    expect(mail.from?.value).toEqual([
      { address: 'news@isecg.test', name: 'ISECG News' },
    ])
    expect(mail.replyTo?.value).toEqual([
      { address: 'replies@isecg.test', name: 'Secretariat' },
    ])
    expect(mail.messageId).toBe(`<news-${first.documentId}-${people.topicA!.id}@site.test>`)
    // as sent (mailparser folds List-* headers into its own structure)
    const header = (key: string) => mail.headerLines.find(line => line.key === key)?.line.replace(/\r?\n\s*/g, ' ')
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click')
    expect(header('list-unsubscribe')).toBe(`List-Unsubscribe: <http://site.test/subscribe/unsubscribe/${token}>, <mailto:replies@isecg.test?subject=unsubscribe%20${token}>`)
    const articleUrl = `http://site.test/news/${first.slug}`
    for (const body of [mail.text!, mail.html as string]) {
      expect(body).toContain(articleUrl)
      expect(body).toContain(`http://site.test/subscribe/preferences/${token}`)
      expect(body).toContain(`http://site.test/subscribe/unsubscribe/${token}`)
      expect(body).toContain('Read the article')
      expect(body).toContain('4 May 2026')
    }
    expect(mail.text).toContain(`ISECG news about: ${topics[0]!.title}, ${topics[2]!.title}.`)
    expect(mail.text).toContain('Summary of Moon <&> Mars "update".')
    expect(mail.html).toContain('Moon &lt;&amp;&gt; Mars &quot;update&quot;')
    expect(mail.html).not.toContain('Moon <&>')
    // nothing fetched from elsewhere, nothing tracked
    expect(mail.html).not.toMatch(/<img|url\(/i)
    expect(mailbox.to(people.all!.email)[0]!.mail.text).toContain('subscribed to all ISECG news')
  })

  it('sends nothing more when the article is edited, republished, unpublished and published again', async () => {
    const before = mailbox.received.length
    await strapi.documents(NEWS_UID).update({
      documentId: first.documentId,
      data: { summary: 'Edited.' },
      status: 'published',
    } as never)
    await strapi.documents(NEWS_UID).unpublish({ documentId: first.documentId } as never)
    await strapi.documents(NEWS_UID).publish({ documentId: first.documentId } as never)
    await sleep(1500)
    expect(mailbox.received.length).toBe(before)
    expect(await strapi.db.query(MAILING_UID).count({
      where: { articleDocumentId: first.documentId },
    })).toBe(1)
    expect(await outboxRows(strapi, first.documentId)).toHaveLength(2)
  })

  it('mails nobody about a members-only article or a draft; a draft published later is announced', async () => {
    const before = mailbox.received.length
    const members = await publishArticle(strapi, { visibility: 'members' })
    const draft = await publishArticle(strapi, {}, 'draft')
    await sleep(1500)
    expect(mailbox.received.length).toBe(before)
    expect(await mailingOf(strapi, members.documentId)).toBeNull()
    expect(await mailingOf(strapi, draft.documentId)).toBeNull()
    await strapi.documents(NEWS_UID).publish({ documentId: draft.documentId } as never)
    expect(await finished(strapi, draft.documentId)).toMatchObject({ recipients: 1, sent: 1 })
    expect(mailbox.to(people.all!.email)).toHaveLength(2)
  })

  it('retries temporary refusals with backoff and gives up on permanent ones', async () => {
    const once = await subscribe(strapi, 'busy-once@example.org', {
      allNews: false,
      topics: [topics[1]!.documentId],
    })
    const always = await subscribe(strapi, 'busy-always@example.org', {
      allNews: false,
      topics: [topics[1]!.documentId],
    })
    const refused = await subscribe(strapi, 'refused@example.org', {
      allNews: false,
      topics: [topics[1]!.documentId],
    })
    mailbox.script = (recipient, attempt) => {
      if (recipient === once.email && attempt === 1)
        return 451
      if (recipient === always.email)
        return 451
      if (recipient === refused.email)
        return 550
      return undefined
    }
    try {
      const article = await publishArticle(strapi, {
        topics: [topics[1]!.documentId],
      })
      const mailing = await finished(strapi, article.documentId)
      // all@, topic-b@, busy-once@ delivered; busy-always@ and refused@ failed
      expect(mailing).toMatchObject({
        recipients: 5,
        sent: 3,
        pending: 0,
        failed: 2,
        progress: 'done',
      })
      const rows = new Map((await outboxRows(strapi, article.documentId)).map(row => [
        Number(row.subscriber_id),
        row,
      ]))
      expect(rows.get(once.id)).toMatchObject({ status: 'sent', attempts: 2 })
      expect(mailbox.to(once.email)).toHaveLength(1)
      expect(mailbox.attempts.get(once.email)).toBe(2)
      expect(rows.get(always.id)).toMatchObject({ status: 'failed', attempts: 3 })
      expect(rows.get(always.id)!.last_error).toMatch(/451/)
      expect(mailbox.attempts.get(always.email)).toBe(3)
      expect(rows.get(refused.id)).toMatchObject({ status: 'failed', attempts: 1 })
      expect(rows.get(refused.id)!.last_error).toMatch(/550/)
      expect(mailbox.attempts.get(refused.email)).toBe(1)
      expect(mailbox.to(always.email)).toHaveLength(0)
      expect(mailbox.to(refused.email)).toHaveLength(0)
    }
    finally {
      mailbox.script = undefined
    }
  })

  it('skips a subscriber who unsubscribed between publication and sending', async () => {
    const leaving = await subscribe(strapi, 'leaving@example.org', {
      allNews: false,
      topics: [topics[2]!.documentId],
    })
    // the server holds the first attempt back until the subscriber has left, then asks to try again
    mailbox.script = async (recipient, attempt) => {
      if (recipient !== leaving.email || attempt > 1)
        return undefined
      await strapi.documents(SUBSCRIBER_UID).update({
        documentId: leaving.documentId,
        data: { subscription: 'unsubscribed' },
      } as never)
      return 451
    }
    try {
      const article = await publishArticle(strapi, {
        topics: [topics[2]!.documentId],
      })
      await finished(strapi, article.documentId)
      const row = (await outboxRows(strapi, article.documentId)).find(item => Number(item.subscriber_id) === leaving.id)
      expect(row?.status).toBe('skipped')
      expect(mailbox.to(leaving.email)).toHaveLength(0)
    }
    finally {
      mailbox.script = undefined
    }
  })
})

describe('news notifications across a restart', () => {
  it('delivers exactly one mail to every subscriber when the CMS stops while sending', async () => {
    const mailbox = await startMailbox()
    const dir = mkdtempSync(join(tmpdir(), 'isecg-notify-'))
    const databaseFile = join(dir, 'data.db')
    const env = {
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(mailbox.port),
      ...NOTIFY_ENV,
      // one batch takes seconds (50 mails, 2 at a time, 100 ms each): the stop lands inside it
      NOTIFY_BATCH_SIZE: '50',
      NOTIFY_CONCURRENCY: '2',
    }
    try {
      let cms = await startCms({ databaseFile, seed: false, env })
      const emails = await subscribeMany(cms.strapi, 'restart', 300)
      mailbox.delayMs = 100
      const article = await publishArticle(cms.strapi)
      await until('some mails', async () => mailbox.received.length >= 10)
      await cms.stop()
      const afterStop = mailbox.received.length
      expect(afterStop).toBeLessThan(300)
      // the stopped instance finished its mails in flight and put back the rest of its batch
      const Database = require('better-sqlite3')
      const db = new Database(databaseFile, { readonly: true })
      const states = Object.fromEntries(db.prepare(`select status, count(*) as n from ${OUTBOX} group by status`).all().map((row: { status: string, n: number }) => [row.status, row.n]))
      db.close()
      expect(states.sending, JSON.stringify(states)).toBeUndefined()
      // the rows put back keep their attempts (a stop is not a failed attempt)
      const burned = new Database(databaseFile, { readonly: true })
      expect(burned.prepare(`select count(*) as n from ${OUTBOX} where status = 'pending' and attempts > 0`).get().n).toBe(0)
      burned.close()
      expect(states.sent).toBe(afterStop)
      mailbox.delayMs = 0
      cms = await startCms({ databaseFile, seed: false, env })
      try {
        const mailing = await finished(cms.strapi, article.documentId, 60_000)
        expect(mailing).toMatchObject({
          recipients: 300,
          sent: 300,
          failed: 0,
          pending: 0,
        })
        await sleep(300)
        expect(mailbox.received.length).toBe(300)
        for (const email of emails)
          expect(mailbox.to(email), email).toHaveLength(1)
      }
      finally {
        await cms.stop()
      }
    }
    finally {
      await mailbox.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe.skipIf(!testPostgresUrl)('news notifications with two instances on PostgreSQL', () => {
  it('never sends the same mail twice', async () => {
    const database = testDatabase('isecg_notify')
    await database.create()
    const mailbox = await startMailbox()
    const env = {
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(mailbox.port),
      ...NOTIFY_ENV,
      NOTIFY_BATCH_SIZE: '10',
    }
    const cms = await startCms({
      postgresUrl: database.url,
      seed: false,
      env,
    })
    // the second instance: same settings and secrets (startCms put them in process.env)
    const child = spawn(process.execPath, [
      join(cmsDir, 'scripts/instance.cjs'),
    ], {
      cwd: cmsDir,
      env: { ...process.env },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('ready'))
            resolve()
        })
        child.on('exit', code => reject(new Error(`the second CMS exited (${code})`)))
      })
      const emails = await subscribeMany(cms.strapi, 'pg', 400)
      mailbox.delayMs = 10
      const article = await publishArticle(cms.strapi)
      const mailing = await finished(cms.strapi, article.documentId, 90_000)
      expect(mailing).toMatchObject({
        recipients: 400,
        sent: 400,
        failed: 0,
        pending: 0,
      })
      await sleep(300)
      expect(mailbox.received.length).toBe(400)
      for (const email of emails)
        expect(mailbox.to(email), email).toHaveLength(1)
      // both instances sent a share
      const senders = await cms.strapi.db.connection(OUTBOX).distinct('locked_by').where({ article_document_id: article.documentId })
      expect(senders.length).toBe(2)
    }
    finally {
      child.kill('SIGTERM')
      await new Promise(resolve => child.exitCode === null
        ? child.once('exit', resolve)
        : resolve(null))
      await cms.stop()
      await mailbox.close()
      await database.drop()
    }
  })
})
