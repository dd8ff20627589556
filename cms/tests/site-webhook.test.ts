import type { IncomingHttpHeaders, Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { CmsInstance } from './harness'
/**
 * The site's content webhook (src/site-webhook): which changes notify the site, the Standard
 * Webhooks signature (checked with the `standardwebhooks` package, an independent implementation),
 * and retries of a failed delivery. The real CMS on a temporary SQLite file and a real HTTP server
 * standing in for the site.
 */
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import { Webhook } from 'standardwebhooks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCms } from './harness'

const NEWS = 'api::news-article.news-article'
const SECRET = `whsec_${randomBytes(32).toString('base64')}`

interface Delivery {
  headers: IncomingHttpHeaders
  body: string
  status: number
}

let cms: CmsInstance
let server: Server
const deliveries: Delivery[] = []
/** statuses the site answers with, in order (then 204) */
const failures: number[] = []

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => {
      body += chunk
    })
    req.on('end', () => {
      const status = failures.shift() ?? 204
      deliveries.push({ headers: req.headers, body, status })
      res.writeHead(status).end()
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.address() as AddressInfo
  cms = await startCms({
    env: {
      SITE_WEBHOOK_URLS: `http://127.0.0.1:${port}/api/cache/webhook`,
      SITE_WEBHOOK_SECRET: SECRET,
      SITE_WEBHOOK_RETRY_BASE_MS: '300',
      SITE_WEBHOOK_POLL_MS: '100',
    },
  })
})

afterAll(async () => {
  await cms?.stop()
  await new Promise(resolve => server?.close(resolve))
})

async function until<T>(read: () => T | undefined, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = read()
    if (value !== undefined)
      return value
    if (Date.now() > deadline)
      throw new Error('timed out')
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}

function verified(delivery: Delivery): { type: string, data: { model: string, documentId: string } } {
  return new Webhook(SECRET).verify(delivery.body, {
    'webhook-id': String(delivery.headers['webhook-id']),
    'webhook-timestamp': String(delivery.headers['webhook-timestamp']),
    'webhook-signature': String(delivery.headers['webhook-signature']),
  }) as never
}

const documents = () => cms.strapi.documents(NEWS)
function draft(title: string) {
  return documents().create({
    data: {
      title,
      slug: `webhook-${randomBytes(4).toString('hex')}`,
      date: '2026-11-30',
      visibility: 'public',
    } as never,
  })
}
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

describe('site webhook', () => {
  it('notifies a publish, signed, and nothing for a draft that no one sees', async () => {
    deliveries.length = 0
    const created = await draft('Webhook draft')
    await documents().update({
      documentId: created.documentId,
      data: { summary: 'still a draft' } as never,
    })
    await sleep(500)
    expect(deliveries).toEqual([])

    await documents().publish({ documentId: created.documentId })
    const delivery = await until(() => deliveries[0])
    const message = verified(delivery)
    expect(message.type).toBe('content.published')
    expect(message.data).toMatchObject({ model: NEWS, documentId: created.documentId })
    expect(String(delivery.headers['webhook-id'])).toMatch(/^msg_/)
    expect(delivery.headers['content-type']).toBe('application/json')

    deliveries.length = 0
    await documents().unpublish({ documentId: created.documentId })
    expect(verified(await until(() => deliveries[0])).type).toBe('content.unpublished')
    deliveries.length = 0
    await documents().delete({ documentId: created.documentId })
    expect(verified(await until(() => deliveries[0])).type).toBe('content.deleted')
  })

  it('does not notify changes of members-only types', async () => {
    deliveries.length = 0
    const file = await cms.strapi.db.query('plugin::upload.file').findOne({
      where: { mime: 'application/pdf' },
    }) as { id: number }
    const created = await cms.strapi.documents('api::member-document.member-document').create({
      data: {
        title: 'Members only webhook check',
        slug: `members-${randomBytes(4).toString('hex')}`,
        kind: 'minutes',
        date: '2026-11-02',
        file: file.id,
      } as never,
    })
    await cms.strapi.documents('api::member-document.member-document').publish({ documentId: created.documentId })
    await sleep(500)
    expect(deliveries).toEqual([])
  })

  it('retries a failed delivery with the same id, signed again, until the site takes it', async () => {
    deliveries.length = 0
    failures.push(503, 500)
    const created = await draft('Webhook retry')
    await documents().publish({ documentId: created.documentId })
    const taken = await until(() => deliveries.find(delivery => delivery.status === 204), 10_000)
    expect(deliveries.map(delivery => delivery.status)).toEqual([
      503,
      500,
      204,
    ])
    const ids = new Set(deliveries.map(delivery => delivery.headers['webhook-id']))
    expect(ids.size).toBe(1)
    for (const delivery of deliveries) expect(verified(delivery).data.documentId).toBe(created.documentId)
    expect(taken).toBeDefined()
    const row = await cms.strapi.db.connection('isecg_site_webhooks').where({
      message_id: String(taken.headers['webhook-id']),
    }).first() as { attempts: number, delivered_at: number | null }
    expect(Number(row.attempts)).toBe(3)
    expect(row.delivered_at).not.toBeNull()
  })
})
