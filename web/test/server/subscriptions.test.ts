import type { CmsInstance } from '../../../cms/tests/harness'
import type { Mailbox, ReceivedMail } from '../../../cms/tests/support/mailbox'
import type { CmsProxy } from '../support/cms-proxy'
import type { SiteInstance } from '../support/site'
import type { Visitor } from '../support/visitor'
/**
 * News subscriptions through the built site (docs/notifications.md "Site"), against a real CMS that
 * mails through a real SMTP server in this process: the subscribe form (CSRF, honeypot, errors, the
 * same answer for every address), the confirmation page (a GET confirms nothing), preferences, the
 * one-click unsubscribe of mail providers (RFC 8058: no cookies, no CSRF token) and the headers of
 * /subscribe/**.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCms } from '../../../cms/tests/harness'
import { startMailbox } from '../../../cms/tests/support/mailbox'
import { startCmsProxy } from '../support/cms-proxy'
import { webDir } from '../support/paths'
import { startSite } from '../support/site'
import { createVisitor } from '../support/visitor'

const SITE_URL = 'https://www.isecg.example'

let mailbox: Mailbox
let cms: CmsInstance
let proxy: CmsProxy
let site: SiteInstance

beforeAll(async () => {
  mailbox = await startMailbox()
  cms = await startCms({
    env: {
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(mailbox.port),
      SITE_URL,
    },
  })
  proxy = await startCmsProxy(cms.url)
  // without the CMS read cache (which may serve a stale answer while the CMS is down), so that the
  // page-cache check below sees whether /subscribe itself was kept
  site = await startSite({
    cmsUrl: proxy.url,
    siteUrl: SITE_URL,
    siteKey: cms.siteKey,
    env: { NUXT_CMS_CACHE_TTL: '0' },
  })
})

afterAll(async () => {
  await site?.stop()
  await proxy?.stop()
  await cms?.stop()
  await mailbox?.close()
})

/** The `updated` date of web/content/privacy.md, read from the file itself. */
function privacyUpdated(): string {
  const match = /^updated:\s*(\S+)\s*$/m.exec(readFileSync(join(webDir, 'content', 'privacy.md'), 'utf8'))
  if (!match)
    throw new Error('no updated date in web/content/privacy.md')
  return match[1]!
}

/** A link of a subscription mail (/subscribe/confirm/..., /subscribe/preferences/...) and its token. */
function subscriptionLink(item: ReceivedMail, kind: 'confirm' | 'preferences' | 'unsubscribe'): { url: string, token: string } {
  const match = new RegExp(`(https?://[^\\s<>"]+/subscribe/${kind}/([\\w.-]+))`).exec(item.mail.text ?? '')
  if (!match)
    throw new Error(`no ${kind} link in the mail "${item.mail.subject}"`)
  return { url: match[1]!, token: match[2]! }
}

async function subscriber(email: string) {
  return await cms.strapi.db.query('api::subscriber.subscriber').findOne({
    where: { email },
    populate: { topics: true },
  }) as { id: number, subscription: string, allNews: boolean, policyVersion: string, subjectRef: string, topics: { slug: string }[] } | null
}

/** The topic slugs of a subscriber (the relation holds a topic's draft and published rows). */
function slugs(topics: { slug: string }[]) {
  return [
    ...new Set(topics.map(topic => topic.slug)),
  ].sort()
}

async function ledger(subjectRef: string) {
  return await cms.strapi.db.query('api::consent-event.consent-event').findMany({
    where: { subjectRef },
    orderBy: { id: 'asc' },
  }) as { type: string, source: string, policyVersion: string | null }[]
}

async function publishedTopics(): Promise<string[]> {
  const topics = await cms.strapi.db.query('api::topic.topic').findMany({
    where: {
      publishedAt: { $notNull: true },
    },
    orderBy: { title: 'asc' },
  }) as { slug: string }[]
  return topics.map(topic => topic.slug)
}

/** Fills in and posts the subscribe form as a browser would (several `topics` values). */
async function subscribe(visitor: Visitor, fields: [string, string][], options: { origin?: string | null, csrf?: boolean } = {}) {
  await visitor.get('/subscribe')
  const body = new URLSearchParams(fields)
  if (options.csrf !== false)
    body.set('_csrf', visitor.csrfToken)
  return visitor.postBody('/api/subscriptions/subscribe', body, { origin: options.origin })
}

/** Subscribes `email` and confirms it through the link of the mail; the manage token. */
async function confirmedSubscriber(email: string): Promise<string> {
  const visitor = createVisitor(site.url)
  const answer = await subscribe(visitor, [
    ['email', email],
    ['choice', 'all'],
    ['consent', 'yes'],
  ])
  expect(answer.location).toBe('/subscribe/check-your-email')
  const { token } = subscriptionLink(await mailbox.waitFor(email), 'confirm')
  await visitor.get(`/subscribe/confirm/${token}`)
  const confirmed = await visitor.post('/api/subscriptions/confirm', { token })
  expect(confirmed.status).toBe(303)
  return decodeURIComponent(confirmed.location!.replace('/subscribe/preferences/', ''))
}

const settle = () => new Promise(resolve => setTimeout(resolve, 1500))

describe('subscribe form', () => {
  it('subscribes with the topics chosen, mails a confirmation link, and a GET of that link confirms nothing; the button does, with the privacy notice\'s version', async () => {
    const email = 'yuri.gagarin@roscosmos.example'
    const [first, second] = await publishedTopics()
    const visitor = createVisitor(site.url)
    const form = await visitor.get('/subscribe')
    expect(form.status).toBe(200)
    expect(form.text).toContain('action="/api/subscriptions/subscribe"')
    expect(form.text).toContain(`value="${first}"`)
    expect(form.text).toContain('href="/privacy"')
    expect(form.text).not.toMatch(/<script/)

    const answer = await visitor.postBody('/api/subscriptions/subscribe', new URLSearchParams([
      ['_csrf', visitor.csrfToken],
      ['email', email],
      ['choice', 'topics'],
      ['topics', first!],
      ['topics', second!],
      ['consent', 'yes'],
      ['homepage', ''],
    ]))
    expect(answer.status).toBe(303)
    expect(answer.location).toBe('/subscribe/check-your-email')
    const pending = (await subscriber(email))!
    expect(pending).toMatchObject({ subscription: 'pending', allNews: false })
    expect(slugs(pending.topics)).toEqual([first, second].sort())
    // the version of the privacy notice is the page's own `updated` date
    expect(pending.policyVersion).toBe(privacyUpdated())
    expect((await visitor.visit('/subscribe/check-your-email')).text).toContain('Check your email')

    const link = subscriptionLink(await mailbox.waitFor(email), 'confirm')
    expect(link.url).toBe(`${SITE_URL}/subscribe/confirm/${link.token}`)
    const page = await visitor.get(`/subscribe/confirm/${link.token}`)
    expect(page.status).toBe(200)
    expect(page.text).toContain(email)
    expect(page.text).toContain('Confirm my subscription')
    expect(page.text).toContain('action="/api/subscriptions/confirm"')
    // a mail scanner following the link (twice, without cookies) confirms nothing
    await createVisitor(site.url).get(`/subscribe/confirm/${link.token}`)
    expect((await subscriber(email))!.subscription).toBe('pending')

    const confirmed = await visitor.post('/api/subscriptions/confirm', { token: link.token })
    expect(confirmed.status).toBe(303)
    expect(confirmed.location).toMatch(/^\/subscribe\/preferences\/[\w.-]+$/)
    expect((await subscriber(email))!.subscription).toBe('confirmed')
    const preferences = await visitor.visit(confirmed.location!)
    expect(preferences.status).toBe(200)
    expect(preferences.text).toContain('Your subscription is confirmed')
    expect(preferences.text).toContain(email)

    // the link works once
    const used = await createVisitor(site.url).get(`/subscribe/confirm/${link.token}`)
    expect(used.status).toBe(404)
    expect(used.text).toContain('href="/subscribe"')
  })

  it('answers the same 303 for a new address and for an address already confirmed', async () => {
    const known = 'valentina.known@esa.example'
    await confirmedSubscriber(known)
    const answers = []
    for (const email of [known, 'someone.new@esa.example']) {
      const answer = await subscribe(createVisitor(site.url), [
        ['email', email],
        ['choice', 'all'],
        ['consent', 'yes'],
      ])
      answers.push({
        status: answer.status,
        location: answer.location,
        cookies: answer.setCookies,
        body: answer.text,
      })
    }
    expect(answers[0]).toEqual(answers[1])
    expect(answers[0]).toMatchObject({ status: 303, location: '/subscribe/check-your-email' })
    expect((await subscriber(known))!.subscription).toBe('confirmed')
  })

  it('refuses a post from another site, or without the CSRF token, and sends nothing to the CMS', async () => {
    const email = 'forged.request@esa.example'
    const fields: [string, string][] = [
      ['email', email],
      ['choice', 'all'],
      ['consent', 'yes'],
    ]
    proxy.reset()
    const crossOrigin = await subscribe(createVisitor(site.url), fields, { origin: 'https://evil.example' })
    expect(crossOrigin.status).toBe(403)
    const crossSite = await createVisitor(site.url).postBody('/api/subscriptions/subscribe', new URLSearchParams(fields), {
      headers: { 'sec-fetch-site': 'cross-site' },
    })
    expect(crossSite.status).toBe(403)
    const noToken = await subscribe(createVisitor(site.url), fields, { csrf: false })
    expect(noToken.status).toBe(403)
    expect(proxy.requests.filter(path => path.startsWith('/api/subscriptions'))).toEqual([])
    expect(await subscriber(email)).toBeNull()
  })

  it('gives a filled honeypot the same answer, and sends nothing', async () => {
    const email = 'robot@spam.example'
    const visitor = createVisitor(site.url)
    proxy.reset()
    const answer = await subscribe(visitor, [
      ['email', email],
      ['choice', 'all'],
      ['consent', 'yes'],
      ['homepage', 'https://spam.example'],
    ])
    expect(answer.status).toBe(303)
    expect(answer.location).toBe('/subscribe/check-your-email')
    expect(answer.setCookies).toEqual([])
    expect(proxy.requests.filter(path => path.startsWith('/api/subscriptions'))).toEqual([])
    await settle()
    expect(await subscriber(email)).toBeNull()
    expect(mailbox.to(email)).toEqual([])
  })

  it('comes back to the form with an error summary linked to the fields, keeping the values but not the honeypot', async () => {
    const visitor = createVisitor(site.url)
    const answer = await subscribe(visitor, [
      ['email', 'not-an-address'],
      ['consent', ''],
      ['homepage', ''],
    ])
    expect(answer.status).toBe(303)
    expect(answer.location).toBe('/subscribe')
    const page = await visitor.get('/subscribe')
    expect(page.status).toBe(400)
    expect(page.text).toMatch(/<div[^>]*class="error-summary"[^>]*role="alert"/)
    expect(page.text).toContain('<a href="#email">Enter an email address in the correct format')
    expect(page.text).toContain('<a href="#choice">Choose all ISECG news or only news about some topics')
    expect(page.text).toContain('<a href="#consent">Tick the box to agree to receive these mails')
    expect(page.text).toMatch(/<input id="email"[^>]*value="not-an-address"[^>]*aria-invalid="true"/)
    expect(page.text).toMatch(/<input id="consent"[^>]*aria-invalid="true"/)
    // read once
    expect((await visitor.get('/subscribe')).status).toBe(200)

    const [topic] = await publishedTopics()
    const topicsMissing = await subscribe(visitor, [
      ['email', 'ok@esa.example'],
      ['choice', 'topics'],
      ['consent', 'yes'],
      ['homepage', ''],
    ])
    expect(topicsMissing.location).toBe('/subscribe')
    const again = await visitor.get('/subscribe')
    expect(again.text).toContain('<a href="#topics">Select at least one topic')
    expect(again.text).toMatch(/<input id="email"[^>]*value="ok@esa.example"/)
    expect(again.text).toMatch(/<input id="choice-topics"[^>]*checked/)
    expect(again.text).toMatch(/<input id="consent"[^>]*checked/)
    expect(again.text).not.toMatch(new RegExp(`value="${topic}"[^>]*checked`))
  })

  it('says how long to wait when the CMS limits requests, and that the service is down when it is', async () => {
    const visitor = createVisitor(site.url)
    const fields: [string, string][] = [
      ['email', 'patient@esa.example'],
      ['choice', 'all'],
      ['consent', 'yes'],
    ]
    proxy.respond = url => url.startsWith('/api/subscriptions/subscribe')
      ? {
          status: 429,
          headers: { 'content-type': 'application/json', 'retry-after': '1200' },
          body: '{"data":null,"error":{"status":429}}',
        }
      : undefined
    try {
      expect((await subscribe(visitor, fields)).location).toBe('/subscribe')
    }
    finally {
      proxy.respond = null
    }
    const limited = await visitor.get('/subscribe')
    expect(limited.status).toBe(429)
    expect(limited.text).toContain('Please try again in 20 minutes.')

    await visitor.get('/subscribe')
    proxy.available = false
    try {
      const body = new URLSearchParams([
        ...fields,
        ['_csrf', visitor.csrfToken],
      ])
      expect((await visitor.postBody('/api/subscriptions/subscribe', body)).location).toBe('/subscribe')
    }
    finally {
      proxy.available = true
    }
    const down = await visitor.get('/subscribe')
    expect(down.status).toBe(503)
    expect(down.text).toContain('The subscription service is not available at the moment')
    expect(down.text).toMatch(/<input id="email"[^>]*value="patient@esa.example"/)
  })
})

describe('preferences and unsubscribing', () => {
  it('changes the choice on the preferences page, and unsubscribes with its button', async () => {
    const email = 'preferences.page@esa.example'
    const token = await confirmedSubscriber(email)
    const [topic] = await publishedTopics()
    const visitor = createVisitor(site.url)
    const page = await visitor.get(`/subscribe/preferences/${token}`)
    expect(page.status).toBe(200)
    expect(page.text).toMatch(/<input id="choice" [^>]*checked/)
    const saved = await visitor.postBody('/api/subscriptions/preferences', new URLSearchParams([
      ['_csrf', visitor.csrfToken],
      ['token', token],
      ['choice', 'topics'],
      ['topics', topic!],
    ]))
    expect(saved.status).toBe(303)
    expect((await visitor.visit(saved.location!)).text).toContain('Your choice is saved.')
    const changed = (await subscriber(email))!
    expect(changed.allNews).toBe(false)
    expect(slugs(changed.topics)).toEqual([topic])
    expect((await ledger(changed.subjectRef)).map(e => e.type)).toContain('topics_changed')

    const unsubscribed = await visitor.post('/api/subscriptions/unsubscribe', { token })
    expect(unsubscribed.status).toBe(303)
    const after = await visitor.visit(unsubscribed.location!)
    expect(after.text).toContain('You are unsubscribed')
    expect(after.text).toContain('href="/subscribe"')
    expect((await subscriber(email))!.subscription).toBe('unsubscribed')
    expect((await ledger(changed.subjectRef)).filter(e => e.type === 'unsubscribed').map(e => e.source)).toEqual(['preferences'])
  })

  it('unsubscribes on a one-click POST without cookies or CSRF token (RFC 8058), once, and answers 200 every time', async () => {
    const email = 'one.click@esa.example'
    const token = await confirmedSubscriber(email)
    const { subjectRef } = (await subscriber(email))!

    // opening the link changes nothing
    const page = await fetch(`${site.url}/subscribe/unsubscribe/${token}`)
    expect(page.status).toBe(200)
    expect(page.headers.getSetCookie()).toEqual([])
    expect(await page.text()).toContain('Unsubscribe')
    expect((await subscriber(email))!.subscription).toBe('confirmed')

    for (let attempt = 0; attempt < 2; attempt++) {
      // as a mail provider posts it: no cookie, no Origin, no token
      const answer = await fetch(`${site.url}/subscribe/unsubscribe/${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
        redirect: 'manual',
      })
      expect(answer.status, `attempt ${attempt + 1}`).toBe(200)
      expect(await answer.text()).toContain('You are unsubscribed')
    }
    expect((await subscriber(email))!.subscription).toBe('unsubscribed')
    const unsubscribedEvents = (await ledger(subjectRef)).filter(e => e.type === 'unsubscribed')
    expect(unsubscribedEvents.map(e => e.source)).toEqual(['one_click'])

    // multipart is allowed by RFC 8058 too; other bodies are refused
    const multipart = new FormData()
    multipart.set('List-Unsubscribe', 'One-Click')
    expect((await fetch(`${site.url}/subscribe/unsubscribe/${token}`, { method: 'POST', body: multipart })).status).toBe(200)
    const json = await fetch(`${site.url}/subscribe/unsubscribe/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"List-Unsubscribe":"One-Click"}',
    })
    expect(json.status).toBe(415)
    const unknown = await fetch(`${site.url}/subscribe/unsubscribe/${'x'.repeat(22)}.${'y'.repeat(43)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    })
    expect(unknown.status).toBe(404)
  })

  it('records the unsubscribe page\'s own button as `preferences`', async () => {
    const email = 'unsubscribe.button@esa.example'
    const token = await confirmedSubscriber(email)
    const answer = await fetch(`${site.url}/subscribe/unsubscribe/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'unsubscribe=yes',
    })
    expect(answer.status).toBe(200)
    const { subjectRef, subscription } = (await subscriber(email))!
    expect(subscription).toBe('unsubscribed')
    expect((await ledger(subjectRef)).filter(e => e.type === 'unsubscribed').map(e => e.source)).toEqual(['preferences'])
  })
})

describe('/subscribe/** responses', () => {
  it('are never cached, no-store, same-origin referrers and noindex, and not in the sitemap', async () => {
    const paths = [
      '/subscribe',
      '/subscribe/check-your-email',
      '/subscribe/confirm/no-such-token-0000000000',
      '/subscribe/preferences/no-such-token-000000.no-such-signature-00',
      '/subscribe/unsubscribe/no-such-token-000000.no-such-signature-00',
    ]
    for (const path of paths) {
      const answer = await fetch(`${site.url}${path}`)
      expect(answer.headers.get('cache-control'), path).toBe('no-store')
      expect(answer.headers.get('referrer-policy'), path).toBe('same-origin')
      expect(answer.headers.get('x-robots-tag'), path).toBe('noindex')
      expect(await answer.text(), path).not.toMatch(/<script/)
    }
    // not kept by the page cache: with the CMS down, the form cannot be served from it
    expect((await fetch(`${site.url}/subscribe`)).status).toBe(200)
    proxy.available = false
    try {
      expect((await fetch(`${site.url}/subscribe`)).status).toBe(503)
    }
    finally {
      proxy.available = true
    }
    const sitemap = await (await fetch(`${site.url}/sitemap.xml`)).text()
    expect(sitemap).toContain('/privacy')
    expect(sitemap).not.toContain('/subscribe')
  })
})
