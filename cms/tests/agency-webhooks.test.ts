import type { IncomingHttpHeaders, Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { CmsInstance } from './harness'
import type { AdminSession } from './support/admin'
/**
 * Webhooks to agencies (src/agency-webhooks, README "Webhooks for agencies"): editors register an
 * endpoint in the admin, the secret is shown once, public publishes are delivered signed (checked
 * with the `standardwebhooks` package), retried, logged on the endpoint, and a failing endpoint is
 * disabled. The real CMS on a temporary SQLite file and a real HTTP receiver on 127.0.0.1 (allowed
 * here by AGENCY_WEBHOOK_ALLOW_PRIVATE_TARGETS=true; tests/webhook-target.test.ts checks the guard
 * itself).
 */
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { Webhook } from 'standardwebhooks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { distDir, getJson, startCms } from './harness'
import { signInAsAdmin } from './support/admin'
import { until } from './support/wait'

const require = createRequire(import.meta.url)
const UID = 'api::agency-webhook.agency-webhook'
const PATH = `/content-manager/collection-types/${UID}`
const NEWS = 'api::news-article.news-article'
const PUBLICATION = 'api::publication.publication'

interface Delivery {
  path: string
  headers: IncomingHttpHeaders
  body: string
  status: number
}

let cms: CmsInstance
let admin: AdminSession
let receiver: Server
let base: string
const deliveries: Delivery[] = []
/** statuses a path answers with, in order (then 204) */
const answers = new Map<string, number[]>()

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => {
      body += chunk
    })
    req.on('end', () => {
      const path = req.url ?? ''
      const status = answers.get(path)?.shift() ?? 204
      deliveries.push({
        path,
        headers: req.headers,
        body,
        status,
      })
      if (status >= 300 && status < 400)
        res.writeHead(status, { location: `${base}/redirected` }).end()
      else res.writeHead(status).end()
    })
  })
  await new Promise<void>(resolve => receiver.listen(0, '127.0.0.1', () => resolve()))
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`
  cms = await startCms({
    env: {
      AGENCY_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      AGENCY_WEBHOOK_RETRY_BASE_MS: '200',
      AGENCY_WEBHOOK_POLL_MS: '100',
      AGENCY_WEBHOOK_MAX_AGE_MS: '1500',
      AGENCY_WEBHOOK_DISABLE_AFTER: '2',
    },
  })
  admin = await signInAsAdmin(cms)
})

afterAll(async () => {
  await cms?.stop()
  receiver?.closeAllConnections()
  await new Promise(resolve => receiver?.close(resolve))
})

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))
const at = (path: string) => deliveries.filter(delivery => delivery.path === path)

/** Registers an endpoint as an editor does; returns it with its secret (asked for once). */
async function register(path: string, fields: Record<string, unknown> = {}, session = admin) {
  const created = await session.request('POST', PATH, { url: `${base}${path}`, ...fields })
  expect(created.status, JSON.stringify(created.body)).toBe(201)
  const { documentId } = created.body.data
  const shown = await session.request('POST', `/isecg/agency-webhooks/${documentId}/secret`)
  expect(shown.status).toBe(200)
  return { documentId, secret: shown.body.data.secret as string, entry: created.body.data }
}

function verify(secret: string, delivery: Delivery, body = delivery.body) {
  return new Webhook(secret).verify(body, {
    'webhook-id': String(delivery.headers['webhook-id']),
    'webhook-timestamp': String(delivery.headers['webhook-timestamp']),
    'webhook-signature': String(delivery.headers['webhook-signature']),
  }) as { type: string, timestamp: string, data: Record<string, any> }
}

async function publishNews(title: string, visibility = 'public') {
  const created = await cms.strapi.documents(NEWS).create({
    data: {
      title,
      slug: `agency-hook-${randomBytes(4).toString('hex')}`,
      date: '2026-12-01',
      summary: `${title} in short`,
      visibility,
    } as never,
  })
  await cms.strapi.documents(NEWS).publish({ documentId: created.documentId })
  return created as unknown as { documentId: string, slug: string }
}

async function endpoint(documentId: string) {
  return await cms.strapi.db.query(UID).findOne({
    where: { documentId },
  }) as Record<string, any>
}

describe('agency webhooks', () => {
  it('delivers a public news article once to a receiver that fails twice, signed (Standard Webhooks), and logs it on the endpoint', async () => {
    const path = '/flaky'
    answers.set(path, [503, 500])
    const hook = await register(path)
    expect(hook.secret).toMatch(/^whsec_/)
    const article = await publishNews('Agency webhook news')
    const taken = await until('the third attempt', async () => at(path).find(delivery => delivery.status === 204), 10_000)
    await sleep(800)
    expect(at(path).map(delivery => delivery.status)).toEqual([503, 500, 204])
    expect(new Set(at(path).map(delivery => delivery.headers['webhook-id'])).size).toBe(1)
    for (const delivery of at(path)) verify(hook.secret, delivery)
    const message = verify(hook.secret, taken)
    expect(message.type).toBe('news.published')
    expect(message.data).toEqual({
      documentId: article.documentId,
      slug: article.slug,
      title: 'Agency webhook news',
      url: `http://site.test/news/${article.slug}`,
      date: '2026-12-01',
      summary: 'Agency webhook news in short',
      publishedAt: expect.any(String),
    })
    expect(taken.headers['content-type']).toBe('application/json')
    // a tampered body does not verify
    expect(() => verify(hook.secret, taken, taken.body.replace('Agency webhook news', 'Agency webhook newz'))).toThrow()
    // nor does another endpoint's secret
    const other = await register('/other', { enabled: false })
    expect(() => verify(other.secret, taken)).toThrow()

    const log = await endpoint(hook.documentId)
    expect(log).toMatchObject({
      delivered: 1,
      failed: 0,
      consecutiveFailures: 0,
      lastStatus: 204,
      lastAttempts: 3,
      lastError: null,
    })
    expect(log.lastDeliveredAt).not.toBeNull()
    await admin.request('DELETE', `${PATH}/${hook.documentId}`)
  })

  it('shows the secret once and never returns it from the admin or any API', async () => {
    const hook = await register('/secret-check', { enabled: false })
    const again = await admin.request('POST', `/isecg/agency-webhooks/${hook.documentId}/secret`)
    expect(again.status).toBe(410)
    expect(JSON.stringify(again.body)).not.toContain(hook.secret)
    expect(hook.entry).not.toHaveProperty('secret')
    const read = await admin.request('GET', `${PATH}/${hook.documentId}`)
    expect(read.status).toBe(200)
    expect(read.body.data).not.toHaveProperty('secret')
    expect(JSON.stringify(read.body)).not.toContain('whsec_')
    const list = await admin.request('GET', PATH)
    expect(JSON.stringify(list.body)).not.toContain('whsec_')
    // an editor cannot write it
    const written = await admin.request('PUT', `${PATH}/${hook.documentId}`, { secret: 'whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' })
    expect(written.status).toBe(200)
    const stored = (await endpoint(hook.documentId)).secret as string
    expect(stored).toMatch(/^v1:/) // encrypted with ENCRYPTION_KEY
    expect(stored).not.toContain('AAAAAAAA')
    // a clone is a new endpoint: its own secret, not shown yet
    const clone = await cms.strapi.documents(UID).clone({ documentId: hook.documentId, data: {} } as never) as unknown as { documentId: string }
    const cloned = await endpoint(clone.documentId)
    expect(cloned.secretShownAt).toBeNull()
    expect(cloned.secret).toMatch(/^v1:/)
    expect(cloned.secret).not.toBe(stored)
    const clonedSecret = await admin.request('POST', `/isecg/agency-webhooks/${clone.documentId}/secret`)
    expect(clonedSecret.body.data.secret).not.toBe(hook.secret)
    // no Content API, not even for an API token
    const token = await cms.strapi.service('admin::api-token').create({ name: 'hooks check', type: 'read-only', lifespan: null })
    for (const auth of [undefined, `Bearer ${token.accessKey}`]) {
      const answer = await getJson(cms, '/api/agency-webhooks', {
        headers: auth
          ? { authorization: auth }
          : {},
      })
      expect(answer.status).toBeGreaterThanOrEqual(400)
      expect(JSON.stringify(answer.body)).not.toContain('whsec_')
    }
  })

  it('lets the Editor role register, change and delete endpoints but not see the secret field', async () => {
    const editor = await signInAsAdmin(cms, 'hooks-editor@isecg.test', 'strapi-editor')
    const agency = await cms.strapi.db.query('api::member-agency.member-agency').findOne({
      where: {
        publishedAt: { $notNull: true },
      },
    }) as { documentId: string }
    const hook = await register('/editor', {
      enabled: false,
      agency: {
        connect: [
          { documentId: agency.documentId },
        ],
      },
    }, editor)
    expect(hook.secret).toMatch(/^whsec_/)
    const read = await editor.request('GET', `${PATH}/${hook.documentId}`)
    expect(read.status).toBe(200)
    expect(read.body.data).not.toHaveProperty('secret')
    expect(read.body.data.agency).toBeTruthy()
    expect((await editor.request('PUT', `${PATH}/${hook.documentId}`, { newsPublished: false })).status).toBe(200)
    expect((await editor.request('DELETE', `${PATH}/${hook.documentId}`)).status).toBe(200)
    // set on every start, idempotently
    const held = () => cms.strapi.db.query('admin::permission').findMany({
      where: { subject: UID },
      orderBy: { id: 'asc' },
    })
    const before = JSON.stringify(await held())
    const { setEditorAccess } = require(join(distDir, 'src/bootstrap/editor-access.js'))
    await setEditorAccess(cms.strapi)
    expect(JSON.stringify(await held())).toBe(before)
  })

  it('refuses http:// and non-URL targets at registration', async () => {
    for (const url of [
      'http://hooks.esa.example/isecg',
      'ftp://127.0.0.1/hook',
      'hooks.esa.example',
      'https://user:pw@hooks.esa.example/',
    ]) {
      const created = await admin.request('POST', PATH, { url })
      expect(created.status, url).toBe(400)
      expect(JSON.stringify(created.body)).toMatch(/webhook URL/)
    }
    const hook = await register('/valid', { enabled: false })
    const changed = await admin.request('PUT', `${PATH}/${hook.documentId}`, { url: 'http://hooks.esa.example/isecg' })
    expect(changed.status).toBe(400)
  })

  it('sends nothing for a members-only news article, and nothing to a disabled endpoint', async () => {
    const active = await register('/active')
    const disabled = await register('/disabled', { enabled: false })
    await publishNews('Members only webhook news', 'members')
    await sleep(800)
    expect(at('/active')).toEqual([])
    const shown = await publishNews('Public webhook news')
    await until('the active endpoint\'s delivery', async () => at('/active')[0])
    await sleep(500)
    expect(at('/active').map(delivery => verify(active.secret, delivery).data.documentId)).toEqual([shown.documentId])
    expect(at('/disabled')).toEqual([])
    expect(disabled.secret).toMatch(/^whsec_/)
    await admin.request('DELETE', `${PATH}/${active.documentId}`)
  })

  it('sends publication.published, publication.updated and publication.superseded to endpoints that want them', async () => {
    const path = '/publications'
    const hook = await register(path, { newsPublished: false })
    const documents = cms.strapi.documents(PUBLICATION)
    const old = await documents.create({
      data: {
        title: 'Roadmap 2025',
        slug: `roadmap-${randomBytes(3).toString('hex')}`,
        kind: 'report',
        publicationDate: '2025-01-01',
        visibility: 'public',
      } as never,
    })
    await documents.publish({ documentId: old.documentId })
    const first = await until('publication.published', async () => at(path)[0])
    expect(verify(hook.secret, first)).toMatchObject({
      type: 'publication.published',
      data: { documentId: old.documentId, kind: 'report', supersedes: null },
    })

    await documents.update({
      documentId: old.documentId,
      data: { abstract: 'Now with an abstract' } as never,
    })
    await documents.publish({ documentId: old.documentId })
    const second = await until('publication.updated', async () => at(path)[1])
    expect(verify(hook.secret, second)).toMatchObject({
      type: 'publication.updated',
      data: { documentId: old.documentId, abstract: 'Now with an abstract' },
    })

    const successor = await documents.create({
      data: {
        title: 'Roadmap 2026',
        slug: `roadmap-${randomBytes(3).toString('hex')}`,
        kind: 'report',
        publicationDate: '2026-01-01',
        visibility: 'public',
        supersedes: old.id,
      } as never,
    })
    await documents.publish({ documentId: successor.documentId })
    await until('two more messages', async () => at(path).length >= 4)
    await sleep(500)
    const messages = at(path).slice(2).map(delivery => verify(hook.secret, delivery))
    expect(messages.map(message => message.type).sort()).toEqual(['publication.published', 'publication.superseded'])
    const superseded = messages.find(message => message.type === 'publication.superseded')!
    expect(superseded.data).toMatchObject({
      documentId: old.documentId,
      supersededBy: {
        documentId: successor.documentId,
        url: expect.stringMatching(/^http:\/\/site\.test\/publications\//),
      },
    })
    expect(messages.find(message => message.type === 'publication.published')!.data.supersedes).toMatchObject({ documentId: old.documentId })
    // a members-only publication sends nothing
    const hidden = await documents.create({
      data: {
        title: 'Members roadmap',
        slug: `roadmap-${randomBytes(3).toString('hex')}`,
        kind: 'report',
        publicationDate: '2026-01-01',
        visibility: 'members',
      } as never,
    })
    await documents.publish({ documentId: hidden.documentId })
    await sleep(600)
    expect(at(path)).toHaveLength(4)
    await admin.request('DELETE', `${PATH}/${hook.documentId}`)
  })

  it('counts a redirect as a failure without following it, and disables an endpoint after repeated failed events', async () => {
    const path = '/moved'
    answers.set(path, Array.from<number>({ length: 50 }).fill(302))
    const hook = await register(path)
    await publishNews('Redirected webhook news')
    await until('the first event given up', async () => (await endpoint(hook.documentId)).failed === 1, 10_000)
    expect(at('/redirected')).toEqual([])
    const log = await endpoint(hook.documentId)
    expect(log).toMatchObject({
      enabled: true,
      consecutiveFailures: 1,
      lastStatus: 302,
      lastError: 'the receiver answered 302',
    })
    expect(log.lastAttempts).toBeGreaterThan(1)

    await publishNews('Second redirected webhook news')
    await until('the endpoint disabled', async () => (await endpoint(hook.documentId)).enabled === false, 10_000)
    expect((await endpoint(hook.documentId)).disabledReason).toMatch(/2 events in a row/)
    const before = at(path).length
    await publishNews('Third webhook news')
    await sleep(800)
    expect(at(path)).toHaveLength(before)

    // enabled again by an editor: the count starts over
    expect((await admin.request('PUT', `${PATH}/${hook.documentId}`, { enabled: true })).status).toBe(200)
    expect(await endpoint(hook.documentId)).toMatchObject({ enabled: true, consecutiveFailures: 0, disabledReason: null })
    await admin.request('DELETE', `${PATH}/${hook.documentId}`)
  })
})
