import type { Core } from '@strapi/strapi'
import type { IncomingHttpHeaders, Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { CmsInstance } from './harness'
/**
 * Agency webhooks with several CMS instances on one PostgreSQL database (TEST_POSTGRES_URL): two
 * claimers take disjoint messages (`for update skip locked`), and with a second CMS process
 * delivering beside this one every event reaches the receiver once (each attempt sent once).
 */
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { Webhook } from 'standardwebhooks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cmsDir, distDir, startCms } from './harness'
import { signInAsAdmin } from './support/admin'
import { testDatabase, testPostgresUrl } from './support/postgres'
import { until } from './support/wait'

const require = createRequire(import.meta.url)
const UID = 'api::agency-webhook.agency-webhook'
const NEWS = 'api::news-article.news-article'

interface Delivery {
  headers: IncomingHttpHeaders
  body: string
  status: number
}

interface Queue {
  stop: () => Promise<void>
  start: () => void
  runOnce: () => Promise<number>
  enqueue: (rows: Array<Record<string, unknown>>) => Promise<void>
}

describe.skipIf(!testPostgresUrl)('agency webhooks with two instances on PostgreSQL', () => {
  const database = testDatabase('isecg_hooks')
  let cms: CmsInstance
  let strapi: Core.Strapi
  let receiver: Server
  let url: string
  let secret: string
  let endpoint: string
  const deliveries: Delivery[] = []
  /** answer the first attempt of every message with 500 */
  let failFirst = false
  const seen = new Set<string>()
  const module = () => require(join(distDir, 'src/agency-webhooks/index.js')) as {
    AgencyWebhooks: new (strapi: Core.Strapi, settings: unknown) => { queue: Queue }
    agencyWebhooks: (strapi: Core.Strapi) => { queue: Queue, settings: unknown }
  }

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = ''
      req.on('data', (chunk) => {
        body += chunk
      })
      req.on('end', () => {
        const id = String(req.headers['webhook-id'])
        const status = failFirst && !seen.has(id)
          ? 500
          : 204
        seen.add(id)
        deliveries.push({ headers: req.headers, body, status })
        // a little slow, so that claimers overlap
        setTimeout(() => res.writeHead(status).end(), 20)
      })
    })
    await new Promise<void>(resolve => receiver.listen(0, '127.0.0.1', () => resolve()))
    url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`
    await database.create()
    cms = await startCms({
      postgresUrl: database.url,
      env: {
        AGENCY_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
        AGENCY_WEBHOOK_RETRY_BASE_MS: '300',
        AGENCY_WEBHOOK_POLL_MS: '50',
      },
    })
    strapi = cms.strapi
    const admin = await signInAsAdmin(cms)
    const created = await admin.request('POST', `/content-manager/collection-types/${UID}`, { url })
    endpoint = created.body.data.documentId
    secret = (await admin.request('POST', `/isecg/agency-webhooks/${endpoint}/secret`)).body.data.secret
  })

  afterAll(async () => {
    await cms?.stop()
    await database.drop()
    receiver?.closeAllConnections()
    await new Promise(resolve => receiver?.close(resolve))
  })

  const verified = (delivery: Delivery) => new Webhook(secret).verify(delivery.body, {
    'webhook-id': String(delivery.headers['webhook-id']),
    'webhook-timestamp': String(delivery.headers['webhook-timestamp']),
    'webhook-signature': String(delivery.headers['webhook-signature']),
  }) as { type: string, data: { documentId: string } }

  it('lets two claimers on one database take disjoint messages: each is sent once', async () => {
    const running = module().agencyWebhooks(strapi)
    await running.queue.stop()
    try {
      const { AgencyWebhooks } = module()
      const first = new AgencyWebhooks(strapi, running.settings)
      const second = new AgencyWebhooks(strapi, running.settings)
      deliveries.length = 0
      const body = JSON.stringify({
        type: 'news.published',
        timestamp: new Date().toISOString(),
        data: { documentId: 'claim-test' },
      })
      await first.queue.enqueue(Array.from({ length: 60 }, () => ({
        url,
        body,
        endpoint_document_id: endpoint,
        event_type: 'news.published',
      })))
      // a queue that is not started stops after one batch (20) per pass: a few passes, side by side
      let sent = 0
      for (let pass = 0; pass < 4; pass++) {
        const [a, b] = await Promise.all([
          first.queue.runOnce(),
          second.queue.runOnce(),
        ])
        sent += a + b
      }
      expect(sent).toBe(60)
      expect(deliveries).toHaveLength(60)
      expect(new Set(deliveries.map(delivery => delivery.headers['webhook-id'])).size).toBe(60)
      for (const delivery of deliveries) verified(delivery)
    }
    finally {
      running.queue.start()
    }
  })

  it('delivers each event once with two CMS instances delivering from one database', async () => {
    const child = spawn(process.execPath, [
      join(cmsDir, 'scripts/instance.cjs'),
    ], {
      cwd: cmsDir,
      env: { ...process.env },
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    })
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('ready'))
            resolve()
        })
        child.on('exit', code => reject(new Error(`the second CMS exited (${code})`)))
      })
      deliveries.length = 0
      failFirst = true
      const published: string[] = []
      for (let index = 0; index < 10; index++) {
        const article = await strapi.documents(NEWS).create({
          data: {
            title: `Two instances ${index}`,
            slug: `two-instances-${randomBytes(4).toString('hex')}`,
            date: '2026-12-01',
            visibility: 'public',
          } as never,
        })
        await strapi.documents(NEWS).publish({ documentId: article.documentId })
        published.push(article.documentId)
      }
      const ids = () => new Set(deliveries.filter(delivery => delivery.status === 204).map(delivery => String(delivery.headers['webhook-id'])))
      await until('every event delivered', async () => ids().size === 10, 20_000)
      await new Promise(resolve => setTimeout(resolve, 1500))
      // every message: one failed attempt, one delivery, nothing twice
      const byId = new Map<string, number[]>()
      for (const delivery of deliveries) {
        const id = String(delivery.headers['webhook-id'])
        byId.set(id, [
          ...(byId.get(id) ?? []),
          delivery.status,
        ])
      }
      expect(byId.size).toBe(10)
      for (const statuses of byId.values()) expect(statuses).toEqual([500, 204])
      const documents = deliveries.filter(delivery => delivery.status === 204).map(delivery => verified(delivery).data.documentId)
      expect(documents.sort()).toEqual([...published].sort())
      const rows = await strapi.db.connection('isecg_agency_webhook_messages').whereIn('message_id', [
        ...byId.keys(),
      ]).select('attempts', 'delivered_at') as Array<{ attempts: number, delivered_at: unknown }>
      expect(rows.map(row => Number(row.attempts))).toEqual(Array.from({ length: 10 }).fill(2))
    }
    finally {
      failFirst = false
      child.kill('SIGTERM')
      await new Promise(resolve => child.exitCode === null
        ? child.once('exit', resolve)
        : resolve(null))
    }
  })
})
