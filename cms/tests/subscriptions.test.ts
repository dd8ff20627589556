import type { CmsInstance } from './harness'
import type { AdminSession } from './support/admin'
import type { Mailbox, ReceivedMail } from './support/mailbox'
/**
 * News notification subscriptions end to end (docs/notifications.md): the site's endpoint
 * (/api/subscriptions/*) with the site's key, the confirmation mails through a real SMTP server,
 * the consent ledger, the admin's unsubscribe, erase and export, the purge of unconfirmed
 * subscriptions, and the privacy of all of it on the Content API.
 */
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clientHash } from '../src/notifications/links'
import { distDir, startCms } from './harness'
import { signInAsAdmin } from './support/admin'
import { startMailbox } from './support/mailbox'
import { createMember } from './support/members'
import { siteCall } from './support/site'
import { until } from './support/wait'

const require = createRequire(import.meta.url)

const SUBSCRIBER_UID = 'api::subscriber.subscriber'
const CONSENT_UID = 'api::consent-event.consent-event'
const SUBSCRIBERS_PATH = `/content-manager/collection-types/${SUBSCRIBER_UID}`
const CONSENT_PATH = `/content-manager/collection-types/${CONSENT_UID}`
const POLICY = '2026-01-15'
const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE

let cms: CmsInstance
let mailbox: Mailbox
let admin: AdminSession
let topicSlugs: string[]
let ipCounter = 0

beforeAll(async () => {
  mailbox = await startMailbox()
  cms = await startCms({
    env: {
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(mailbox.port),
      MAIL_FROM: 'ISECG Secretariat <secretariat@isecg.test>',
    },
  })
  admin = await signInAsAdmin(cms)
  const topics = await cms.strapi.documents('api::topic.topic').findMany({
    status: 'published',
    fields: ['slug'],
  } as never) as unknown as Array<{ slug: string }>
  topicSlugs = topics.map(topic => topic.slug).sort()
  expect(topicSlugs.length).toBeGreaterThanOrEqual(2)
}, 120_000)

afterAll(async () => {
  await cms?.stop()
  await mailbox?.close()
})

/** A fresh client address per call site, so that the per-client limit only bites where tested. */
const newIp = () => `198.51.100.${++ipCounter}`

function subscribeCall(body: Record<string, unknown>, forwardedFor = newIp(), key: boolean | string = true) {
  return siteCall(cms, 'POST', '/api/subscriptions/subscribe', {
    body: {
      allNews: true,
      topics: [],
      consent: true,
      policyVersion: POLICY,
      ...body,
    },
    forwardedFor,
    key,
  })
}

function row(email: string) {
  return cms.strapi.db.query(SUBSCRIBER_UID).findOne({
    where: { email },
    populate: { topics: true },
  })
}

function events(subjectRef: string) {
  return cms.strapi.db.query(CONSENT_UID).findMany({
    where: { subjectRef },
    populate: { subscriber: true },
    orderBy: { id: 'asc' },
  }) as Promise<Array<Record<string, any>>>
}

/** Waits until the subscriber of `email` has `count` ledger events of `type`. */
async function waitForEvents(email: string, type: string, count: number) {
  return until(`${count} ${type} events of ${email}`, async () => {
    const subscriber = await row(email)
    if (!subscriber)
      return null
    const found = (await events(subscriber.subjectRef)).filter(event => event.type === type)
    return found.length >= count && found
  })
}

function confirmToken(item: ReceivedMail): string {
  const match = /https?:\/\/\S+\/subscribe\/confirm\/([\w-]{43})\b/.exec(item.mail.text ?? '')
  if (!match)
    throw new Error(`no confirmation link in "${item.mail.subject}"`)
  return match[1]!
}

/** Pretends the latest confirmation mail was sent `ms` ago (and its link still valid). */
async function ageLastLink(email: string, ms: number) {
  const subscriber = await row(email)
  await cms.strapi.db.query(SUBSCRIBER_UID).update({
    where: { id: subscriber.id },
    data: { confirmExpiresAt: new Date(subscriber.confirmExpiresAt).getTime() - ms },
  })
}

async function confirmed(email: string, ip = newIp()): Promise<string> {
  expect((await subscribeCall({ email }, ip)).status).toBe(202)
  const token = confirmToken(await mailbox.waitFor(email))
  const answer = await siteCall(cms, 'POST', '/api/subscriptions/confirm', {
    body: { token },
    forwardedFor: ip,
  })
  expect(answer.status).toBe(200)
  return answer.body.manageToken as string
}

const settle = (ms = 500) => new Promise(resolve => setTimeout(resolve, ms))

describe('site key', () => {
  it.each([
    ['POST', '/api/subscriptions/subscribe'],
    ['GET', '/api/subscriptions/confirm/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['POST', '/api/subscriptions/confirm'],
    ['GET', '/api/subscriptions/manage/x.y'],
    ['POST', '/api/subscriptions/manage'],
    ['POST', '/api/subscriptions/unsubscribe'],
  ])('answers 401 to %s %s without the key or with a wrong one', async (method, path) => {
    for (const key of [false, 'wrong-key-wrong-key-wrong-key-wrong-key']) {
      const answer = await siteCall(cms, method, path, {
        key,
        body: method === 'POST'
          ? { email: 'nokey@example.org' }
          : undefined,
      })
      expect(answer.status).toBe(401)
    }
    expect(await row('nokey@example.org')).toBeNull()
  })
})

describe('subscribe', () => {
  it.each([
    [
      'email',
      { email: 'not an address' },
    ],
    [
      'email',
      { email: 'a@localhost' },
    ],
    [
      'consent',
      { email: 'v1@example.org', consent: 'yes' },
    ],
    [
      'topics',
      { email: 'v2@example.org', allNews: false, topics: [] },
    ],
    [
      'topics',
      {
        email: 'v3@example.org',
        allNews: false,
        topics: ['no-such-topic'],
      },
    ],
    [
      'allNews',
      { email: 'v4@example.org', allNews: 'true' },
    ],
    [
      'policyVersion',
      { email: 'v5@example.org', policyVersion: undefined },
    ],
  ])('answers 400 with the field (%s) of an invalid request', async (field, body) => {
    const answer = await subscribeCall(body)
    expect(answer.status).toBe(400)
    expect(answer.body.error.details.errors.map((error: { field: string }) => error.field)).toContain(field)
    expect(answer.body.error.details.errors.every((error: { message: string }) => typeof error.message === 'string' && error.message.length > 0)).toBe(true)
  })

  it('twice gives one pending subscription and one mail; the link shows the latest choice without confirming; the POST confirms once', async () => {
    const ip = newIp()
    const email = 'twice@example.org'
    expect((await subscribeCall({ email: '  Twice@Example.ORG ' }, ip)).status).toBe(202)
    const mail = await mailbox.waitFor(email)
    expect((await subscribeCall({
      email,
      allNews: false,
      topics: [topicSlugs[0]],
    }, ip)).status).toBe(202)
    await waitForEvents(email, 'requested', 2)
    await settle()
    expect(mailbox.to(email)).toHaveLength(1)
    expect(await cms.strapi.db.query(SUBSCRIBER_UID).count({
      where: { email },
    })).toBe(1)

    expect(mail.mail.subject).toBe('Confirm your subscription to ISECG news')
    expect(mail.mail.from?.text).toContain('secretariat@isecg.test')
    expect(mail.mail.text).toContain('7 days')
    expect(mail.mail.text).toContain('Only the latest link')
    expect(mail.mail.html).toContain('/subscribe/confirm/')
    const token = confirmToken(mail)
    const stored = await row(email)
    expect(stored.subscription).toBe('pending')
    expect(stored.confirmTokenHash).not.toContain(token)
    expect(JSON.stringify(stored)).not.toContain(token)

    const shown = await siteCall(cms, 'GET', `/api/subscriptions/confirm/${token}`)
    expect(shown.status).toBe(200)
    expect(shown.body).toEqual({
      email,
      allNews: false,
      topics: [
        {
          slug: topicSlugs[0],
          title: expect.any(String),
        },
      ],
    })
    expect((await row(email)).subscription).toBe('pending')

    const confirmIp = '203.0.113.77'
    const answer = await siteCall(cms, 'POST', '/api/subscriptions/confirm', {
      body: { token },
      forwardedFor: confirmIp,
    })
    expect(answer.status).toBe(200)
    expect(answer.body.manageToken).toMatch(/^[\w-]{22}\.[\w-]{43}$/)
    const after = await row(email)
    expect(after).toMatchObject({ subscription: 'confirmed', confirmTokenHash: null })
    expect(after.confirmedAt).toBeTruthy()

    const ledger = await events(after.subjectRef)
    expect(ledger.map(event => event.type)).toEqual(['requested', 'requested', 'confirmed'])
    const confirmation = ledger[2]!
    expect(confirmation).toMatchObject({
      source: 'confirmation_link',
      policyVersion: POLICY,
      clientHash: clientHash(confirmIp),
      choice: {
        allNews: false,
        topics: [topicSlugs[0]],
      },
    })
    expect(confirmation.subscriber?.documentId).toBe(after.documentId)
    expect(ledger[0]).toMatchObject({
      source: 'subscribe_form',
      clientHash: clientHash(ip),
      choice: { allNews: true, topics: [] },
    })
    expect(JSON.stringify(ledger.map(({ subscriber, ...event }) => event))).not.toContain(confirmIp)

    // reused: confirms nothing
    for (const reuse of [
      await siteCall(cms, 'GET', `/api/subscriptions/confirm/${token}`),
      await siteCall(cms, 'POST', '/api/subscriptions/confirm', {
        body: { token },
      }),
    ]) expect(reuse.status).toBe(404)
    expect((await events(after.subjectRef)).filter(event => event.type === 'confirmed')).toHaveLength(1)
  })

  it('sends a fresh link on a repeat after the short window; only the latest link works', async () => {
    const email = 'repeat@example.org'
    await subscribeCall({ email })
    const first = confirmToken(await mailbox.waitFor(email))
    await ageLastLink(email, 11 * MINUTE)
    await subscribeCall({ email })
    const second = confirmToken(await mailbox.waitFor(email, 1))
    expect(second).not.toBe(first)
    expect((await siteCall(cms, 'POST', '/api/subscriptions/confirm', {
      body: { token: first },
    })).status).toBe(404)
    expect((await siteCall(cms, 'POST', '/api/subscriptions/confirm', {
      body: { token: second },
    })).status).toBe(200)
  })

  it('answers the same for a new, pending, confirmed and unsubscribed address; a confirmed one gets its preferences link and nothing changes', async () => {
    const manage = await confirmed('known@example.org')
    const goneToken = await confirmed('gone@example.org')
    expect((await siteCall(cms, 'POST', '/api/subscriptions/unsubscribe', {
      body: { token: goneToken, source: 'preferences' },
    })).status).toBe(200)
    await subscribeCall({ email: 'waiting@example.org' })
    await mailbox.waitFor('waiting@example.org')
    const knownBefore = await row('known@example.org')
    const knownEvents = (await events(knownBefore.subjectRef)).length

    const answers = []
    for (const email of [
      'brand-new@example.org',
      'waiting@example.org',
      'known@example.org',
      'gone@example.org',
    ]) {
      const answer = await subscribeCall({
        email,
        allNews: false,
        topics: [topicSlugs[1]],
      })
      answers.push({
        status: answer.status,
        body: answer.bytes.toString('utf8'),
        type: answer.headers.get('content-type'),
        length: answer.headers.get('content-length'),
      })
    }
    expect(new Set(answers.map(answer => JSON.stringify(answer))).size).toBe(1)
    expect(answers[0]).toMatchObject({ status: 202, body: '{"ok":true}' })

    const already = await mailbox.waitFor('known@example.org', 1)
    expect(already.mail.subject).toBe('You are already subscribed to ISECG news')
    expect(already.mail.text).toContain(`/subscribe/preferences/${manage}`)
    await mailbox.waitFor('gone@example.org', 1)
    await waitForEvents('gone@example.org', 'requested', 2)
    await settle()
    const knownAfter = await row('known@example.org')
    expect(knownAfter).toMatchObject({ subscription: 'confirmed', allNews: true })
    expect(knownAfter.topics).toEqual([])
    expect(await events(knownAfter.subjectRef)).toHaveLength(knownEvents)
    expect((await row('gone@example.org')).subscription).toBe('pending')
  })

  it('sends at most 3 mails a day to an address', async () => {
    const email = 'capped@example.org'
    for (let request = 1; request <= 4; request++) {
      await subscribeCall({ email })
      await waitForEvents(email, 'requested', request)
      await settle(300)
      await ageLastLink(email, 11 * MINUTE)
    }
    await settle()
    expect(mailbox.to(email)).toHaveLength(3)
    // the third link still works: the fourth request did not replace it
    const third = confirmToken(mailbox.to(email)[2]!)
    expect((await siteCall(cms, 'GET', `/api/subscriptions/confirm/${third}`)).status).toBe(200)
  })

  it('answers 429 with Retry-After from the 11th request of a client address within an hour', async () => {
    const ip = newIp()
    const statuses: number[] = []
    let retryAfter: string | null = null
    for (let request = 0; request < 12; request++) {
      const answer = await subscribeCall({ email: `limit-${request}@` }, ip)
      statuses.push(answer.status)
      retryAfter = answer.headers.get('retry-after') ?? retryAfter
    }
    expect(statuses.slice(0, 10)).toEqual(Array.from<number>({ length: 10 }).fill(400))
    expect(statuses.slice(10)).toEqual([429, 429])
    expect(Number(retryAfter)).toBeGreaterThan(3000)
    expect((await subscribeCall({ email: 'other-client@example.org' })).status).toBe(202)
  })
})

describe('confirmation link', () => {
  it('confirms nothing once expired', async () => {
    const email = 'expired@example.org'
    await subscribeCall({ email })
    const token = confirmToken(await mailbox.waitFor(email))
    const subscriber = await row(email)
    await cms.strapi.db.query(SUBSCRIBER_UID).update({
      where: { id: subscriber.id },
      data: {
        confirmExpiresAt: new Date(Date.now() - 1000),
      },
    })
    expect((await siteCall(cms, 'GET', `/api/subscriptions/confirm/${token}`)).status).toBe(404)
    expect((await siteCall(cms, 'POST', '/api/subscriptions/confirm', {
      body: { token },
    })).status).toBe(404)
    expect((await row(email)).subscription).toBe('pending')
    expect((await events(subscriber.subjectRef)).map(event => event.type)).toEqual(['requested'])
  })

  it('answers 404 to a malformed or unknown token', async () => {
    for (const token of [
      'short',
      'A'.repeat(43),
      42,
    ]) {
      expect((await siteCall(cms, 'POST', '/api/subscriptions/confirm', {
        body: { token },
      })).status).toBe(404)
    }
  })
})

describe('preferences and unsubscribe', () => {
  it('shows and changes the choice; a ledger event only when it changes', async () => {
    const email = 'prefs@example.org'
    const token = await confirmed(email)
    const shown = await siteCall(cms, 'GET', `/api/subscriptions/manage/${token}`)
    expect(shown.status).toBe(200)
    expect(shown.body).toEqual({
      email,
      status: 'confirmed',
      allNews: true,
      topics: [],
    })

    const change = {
      token,
      allNews: false,
      topics: [topicSlugs[1], topicSlugs[0]],
    }
    expect((await siteCall(cms, 'POST', '/api/subscriptions/manage', { body: change, forwardedFor: '203.0.113.9' })).status).toBe(200)
    expect((await siteCall(cms, 'POST', '/api/subscriptions/manage', { body: change })).status).toBe(200)
    const after = await siteCall(cms, 'GET', `/api/subscriptions/manage/${token}`)
    expect(after.body.allNews).toBe(false)
    expect(after.body.topics.map((topic: { slug: string }) => topic.slug)).toEqual([topicSlugs[0], topicSlugs[1]])
    const changes = (await events((await row(email)).subjectRef)).filter(event => event.type === 'topics_changed')
    expect(changes).toHaveLength(1)
    expect(changes[0]).toMatchObject({
      source: 'preferences',
      clientHash: clientHash('203.0.113.9'),
      choice: {
        allNews: false,
        topics: [topicSlugs[0], topicSlugs[1]],
      },
    })

    const invalid = await siteCall(cms, 'POST', '/api/subscriptions/manage', {
      body: {
        token,
        allNews: false,
        topics: ['nope'],
      },
    })
    expect(invalid.status).toBe(400)
    expect(invalid.body.error.details.errors[0].field).toBe('topics')
    const tampered = `${token.slice(0, -1)}${token.endsWith('A')
      ? 'B'
      : 'A'}`
    expect((await siteCall(cms, 'GET', `/api/subscriptions/manage/${tampered}`)).status).toBe(404)
    expect((await siteCall(cms, 'POST', '/api/subscriptions/manage', {
      body: { ...change, token: tampered },
    })).status).toBe(404)
  })

  it('unsubscribes with the one-click POST, idempotently, with one ledger event', async () => {
    const email = 'leaving@example.org'
    const token = await confirmed(email)
    for (let click = 0; click < 3; click++) {
      const answer = await siteCall(cms, 'POST', '/api/subscriptions/unsubscribe', {
        body: { token, source: 'one_click' },
      })
      expect(answer.status).toBe(200)
      expect(answer.body).toEqual({ ok: true })
    }
    const after = await row(email)
    expect(after.subscription).toBe('unsubscribed')
    expect(after.unsubscribedAt).toBeTruthy()
    const unsubscribed = (await events(after.subjectRef)).filter(event => event.type === 'unsubscribed')
    expect(unsubscribed).toHaveLength(1)
    expect(unsubscribed[0]).toMatchObject({ source: 'one_click', policyVersion: POLICY })
    expect((await siteCall(cms, 'POST', '/api/subscriptions/unsubscribe', {
      body: { token: 'x.y', source: 'one_click' },
    })).status).toBe(404)
    expect((await siteCall(cms, 'POST', '/api/subscriptions/unsubscribe', {
      body: { token, source: 'admin' },
    })).status).toBe(400)
  })
})

describe('privacy on the Content API', () => {
  it('gives anonymous, member and API-token callers nothing of subscribers, the ledger or the mailings', async () => {
    const email = 'private@example.org'
    await confirmed(email)
    await cms.strapi.documents('api::news-mailing.news-mailing').create({
      data: { articleDocumentId: 'private-mailing-zz', title: 'Private mailing zz' },
    } as never)
    const member = await createMember(cms.strapi, { email: 'reader@esa.example' })
    const tokens = []
    for (const type of ['read-only', 'full-access']) {
      tokens.push((await cms.strapi.service('admin::api-token').create({
        name: `subs ${type}`,
        description: 'tests',
        type,
        lifespan: null,
      })).accessKey as string)
    }
    const subjectRef = (await row(email)).subjectRef
    for (const path of ['/api/subscribers', '/api/consent-events', '/api/news-mailings']) {
      for (const query of ['', '?populate=*', `?filters[email][$eq]=${email}`]) {
        for (const bearer of [undefined, member.jwt, ...tokens]) {
          const response = await fetch(`${cms.url}${path}${query}`, {
            headers: bearer
              ? { authorization: `Bearer ${bearer}` }
              : {},
          })
          const text = await response.text()
          expect([403, 404], `${path}${query}`).toContain(response.status)
          for (const secret of [email, subjectRef, 'private-mailing-zz']) expect(text).not.toContain(secret)
        }
      }
    }
  })
})

describe('ledger', () => {
  it('refuses updates and deletions, from code and from the admin, and creation from the admin', async () => {
    const email = 'ledger@example.org'
    await confirmed(email)
    const [event] = await events((await row(email)).subjectRef)
    const ledger = cms.strapi.documents(CONSENT_UID)
    await expect(ledger.update({
      documentId: event!.documentId,
      data: { source: 'admin' },
    } as never)).rejects.toThrow(/append-only/)
    await expect(ledger.delete({ documentId: event!.documentId } as never)).rejects.toThrow(/append-only/)
    await expect(ledger.create({
      data: {
        type: 'confirmed',
        occurredAt: new Date(),
        subjectRef: 'forged',
        source: 'admin',
      },
    } as never)).rejects.toThrow(/append-only/)

    const update = await admin.request('PUT', `${CONSENT_PATH}/${event!.documentId}`, { source: 'admin' })
    expect(update.status).toBe(403)
    const remove = await admin.request('DELETE', `${CONSENT_PATH}/${event!.documentId}`)
    expect(remove.status).toBe(403)
    const create = await admin.request('POST', CONSENT_PATH, {
      type: 'confirmed',
      occurredAt: new Date().toISOString(),
      subjectRef: 'forged',
      source: 'admin',
    })
    expect(create.status).toBe(403)
    const stored = await cms.strapi.db.query(CONSENT_UID).findOne({
      where: { id: event!.id },
    })
    expect(stored).toMatchObject({ source: event!.source, type: event!.type })
    expect(await cms.strapi.db.query(CONSENT_UID).count({
      where: { subjectRef: 'forged' },
    })).toBe(0)
  })
})

describe('admin', () => {
  let editor: AdminSession
  beforeAll(async () => {
    editor = await signInAsAdmin(cms, 'news-editor@isecg.test', 'strapi-editor')
  })

  it('records an unsubscribe by an editor (ledger source admin) and refuses confirming, re-subscribing or changing the address', async () => {
    const email = 'by-mail@example.org'
    await confirmed(email)
    const subscriber = await row(email)
    // the edit view sends the whole form: saving it unchanged changes nothing
    const form = {
      email,
      subscription: 'confirmed',
      allNews: true,
      topics: { connect: [], disconnect: [] },
      policyVersion: 'forged',
      requestedAt: subscriber.requestedAt,
      subjectRef: subscriber.subjectRef,
    }
    const saved = await admin.request('PUT', `${SUBSCRIBERS_PATH}/${subscriber.documentId}`, form)
    expect(saved.status, JSON.stringify(saved.body)).toBe(200)
    expect(await row(email)).toMatchObject({ subscription: 'confirmed', policyVersion: POLICY })
    for (const [data, message] of [
      [
        { ...form, subscription: 'pending' },
        /Only the person can subscribe/,
      ],
      [
        { ...form, email: 'other@example.org' },
        /cannot be changed/,
      ],
      [
        { ...form, allNews: false },
        /Only the subscriber changes/,
      ],
    ] as const) {
      const refused = await admin.request('PUT', `${SUBSCRIBERS_PATH}/${subscriber.documentId}`, data)
      expect(refused.status, JSON.stringify(data)).toBe(400)
      expect(refused.body.error.message).toMatch(message)
    }
    const done = await editor.request('PUT', `${SUBSCRIBERS_PATH}/${subscriber.documentId}`, { ...form, subscription: 'unsubscribed' })
    expect(done.status, JSON.stringify(done.body)).toBe(200)
    const after = await row(email)
    expect(after).toMatchObject({ subscription: 'unsubscribed', email })
    expect(after.unsubscribedAt).toBeTruthy()
    const unsubscribed = (await events(after.subjectRef)).filter(event => event.type === 'unsubscribed')
    expect(unsubscribed).toHaveLength(1)
    expect(unsubscribed[0]).toMatchObject({ source: 'admin' })
    const again = await editor.request('PUT', `${SUBSCRIBERS_PATH}/${subscriber.documentId}`, { ...form, subscription: 'confirmed' })
    expect(again.status).toBe(400)
    expect(again.body.error.message).toMatch(/Only the person can subscribe/)
    expect((await row(email)).subscription).toBe('unsubscribed')
    const create = await admin.request('POST', SUBSCRIBERS_PATH, { email: 'added@example.org', subscription: 'confirmed', subjectRef: 'x' })
    expect(create.status).toBe(403)
  })

  it('lists each subscriber with its subscription in the Content Manager (not the draft & publish status)', async () => {
    const email = 'listed-pending@example.org'
    expect((await subscribeCall({ email })).status).toBe(202)
    await waitForEvents(email, 'requested', 1)
    for (const session of [admin, editor]) {
      const list = await session.request('GET', `${SUBSCRIBERS_PATH}?page=1&pageSize=10&filters[email][$eq]=${encodeURIComponent(email)}`)
      expect(list.status, JSON.stringify(list.body)).toBe(200)
      expect(list.body.results).toHaveLength(1)
      expect(list.body.results[0]).toMatchObject({ email, subscription: 'pending' })
    }
  })

  it('exports one subscriber\'s data to admins who may read subscribers, and to no one else', async () => {
    const email = 'export@example.org'
    await confirmed(email)
    const subscriber = await row(email)
    const path = `/isecg/subscribers/${subscriber.documentId}/export`
    for (const session of [admin, editor]) {
      const answer = await session.request('GET', path)
      expect(answer.status).toBe(200)
      expect(answer.body.subscriber).toMatchObject({
        email,
        subscription: 'confirmed',
        allNews: true,
        subjectRef: subscriber.subjectRef,
        policyVersion: POLICY,
      })
      expect(answer.body.consentEvents.map((event: { type: string }) => event.type)).toEqual(['requested', 'confirmed'])
    }
    const response = await fetch(`${cms.url}${path}`)
    expect(response.status).toBe(401)
    const roles = cms.strapi.service('admin::role')
    await roles.create({ name: 'No subscribers', description: 'tests' })
    const role = await cms.strapi.db.query('admin::role').findOne({
      where: { name: 'No subscribers' },
    })
    const outsider = await signInAsAdmin(cms, 'outsider@isecg.test', role.code)
    const refused = await outsider.request('GET', path)
    expect(refused.status).toBe(403)
    expect(JSON.stringify(refused.body)).not.toContain(email)
    expect((await admin.request('GET', '/isecg/subscribers/nope/export')).status).toBe(404)
  })

  it('erases a subscriber: pending mails skipped, an erased event, and a ledger without the address or the link', async () => {
    const email = 'erase-me@example.org'
    await confirmed(email)
    await siteCall(cms, 'POST', '/api/subscriptions/manage', {
      body: {
        token: await manageTokenOf(email),
        allNews: false,
        topics: [topicSlugs[0]],
      },
    })
    const subscriber = await row(email)
    const knex = cms.strapi.db.connection
    // the outbox (src/notifications/outbox.ts) keeps times as epoch milliseconds; the pending row
    // is not due for a day, so the worker leaves it alone during the test
    await knex('isecg_mail_outbox').insert([
      {
        article_document_id: 'article-sent',
        subscriber_id: subscriber.id,
        status: 'sent',
        next_attempt_at: Date.now(),
        sent_at: Date.now(),
      },
      {
        article_document_id: 'article-pending',
        subscriber_id: subscriber.id,
        status: 'pending',
        next_attempt_at: Date.now() + 24 * 60 * 60 * 1000,
        sent_at: null,
      },
    ])
    const exported = await admin.request('GET', `/isecg/subscribers/${subscriber.documentId}/export`)
    expect(exported.body.mails).toEqual([
      {
        articleDocumentId: 'article-sent',
        status: 'sent',
        sentAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
      { articleDocumentId: 'article-pending', status: 'pending', sentAt: null },
    ])
    expect(exported.body.subscriber.topics).toEqual([
      {
        slug: topicSlugs[0],
        title: expect.any(String),
      },
    ])

    const erased = await editor.request('DELETE', `${SUBSCRIBERS_PATH}/${subscriber.documentId}`)
    expect(erased.status, JSON.stringify(erased.body)).toBe(200)
    expect(await row(email)).toBeNull()
    const ledger = await events(subscriber.subjectRef)
    expect(ledger.map(event => event.type)).toEqual([
      'requested',
      'confirmed',
      'topics_changed',
      'erased',
    ])
    expect(ledger.at(-1)).toMatchObject({ source: 'admin', choice: null })
    expect(ledger.every(event => event.subscriber === null)).toBe(true)
    const rawLedger = JSON.stringify(await knex('consent_events').select('*'))
    expect(rawLedger).toContain(subscriber.subjectRef)
    expect(rawLedger.toLowerCase()).not.toContain('erase-me')
    const outbox = await knex('isecg_mail_outbox').where({ subscriber_id: subscriber.id }).orderBy('id')
    expect(outbox.map((mail: { status: string }) => mail.status)).toEqual(['sent', 'skipped'])
  })
})

async function manageTokenOf(email: string) {
  const { manageToken } = require(join(distDir, 'src/notifications/links.js')) as typeof import('../src/notifications/links')
  return manageToken((await row(email)).subjectRef)
}

describe('purge', () => {
  it('deletes pending subscriptions requested more than 30 days ago (ledger erased, source expiry), and only those', async () => {
    const { purgeUnconfirmed } = require(join(distDir, 'src/notifications/subscriptions.js')) as typeof import('../src/notifications/subscriptions')
    for (const email of ['old@example.org', 'recent@example.org'])
      await subscribeCall({ email })
    const kept = await confirmed('old-but-confirmed@example.org')
    expect(kept).toBeTruthy()
    await waitForEvents('old@example.org', 'requested', 1)
    await waitForEvents('recent@example.org', 'requested', 1)
    const old = await row('old@example.org')
    const at = (days: number) => new Date(Date.now() - days * DAY)
    await cms.strapi.db.query(SUBSCRIBER_UID).update({
      where: { id: old.id },
      data: {
        requestedAt: at(31),
      },
    })
    await cms.strapi.db.query(SUBSCRIBER_UID).update({
      where: { email: 'recent@example.org' },
      data: {
        requestedAt: at(29),
      },
    })
    await cms.strapi.db.query(SUBSCRIBER_UID).update({
      where: { email: 'old-but-confirmed@example.org' },
      data: {
        requestedAt: at(40),
      },
    })

    expect(await purgeUnconfirmed(cms.strapi)).toBe(1)
    expect(await purgeUnconfirmed(cms.strapi)).toBe(0)
    expect(await row('old@example.org')).toBeNull()
    expect(await row('recent@example.org')).not.toBeNull()
    expect(await row('old-but-confirmed@example.org')).not.toBeNull()
    const ledger = await events(old.subjectRef)
    expect(ledger.map(event => event.type)).toEqual(['requested', 'erased'])
    expect(ledger[1]).toMatchObject({ source: 'expiry', subscriber: null })
  })
})
