import type { Core } from '@strapi/strapi'
import type { AddressInfo } from 'node:net'
/**
 * Boots the real CMS for tests: the compiled app (cms/dist, built once by global-setup.ts) on a
 * temporary SQLite file (or the PostgreSQL database given), seeded on start, listening on a free
 * loopback port. Strapi is loaded through its CommonJS build.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
export const cmsDir = join(dirname(fileURLToPath(import.meta.url)), '..')
export const distDir = join(cmsDir, 'dist')

export interface CmsInstance {
  url: string
  strapi: Core.Strapi
  /** the SITE_API_KEY this instance was started with (header X-Site-Key) */
  siteKey: string
  databaseFile?: string
  stop: () => Promise<void>
}

export interface StartOptions {
  /** postgres connection string; SQLite in a temporary folder when absent */
  postgresUrl?: string
  /** reuse an existing SQLite file (to test restarts) */
  databaseFile?: string
  seed?: boolean
  /** more environment variables (e.g. SMTP_PORT of a test mail server) */
  env?: Record<string, string>
}

const secret = () => randomBytes(18).toString('base64')

export async function startCms(options: StartOptions = {}): Promise<CmsInstance> {
  const dir = options.databaseFile
    ? undefined
    : mkdtempSync(join(tmpdir(), 'isecg-cms-'))
  const databaseFile = options.databaseFile ?? (dir
    ? join(dir, 'data.db')
    : undefined)
  delete process.env.DEMO_MEMBER_EMAIL
  delete process.env.DEMO_MEMBER_PASSWORD
  Object.assign(process.env, {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    APP_KEYS: [
      secret(),
      secret(),
    ].join(','),
    API_TOKEN_SALT: secret(),
    ADMIN_JWT_SECRET: secret(),
    TRANSFER_TOKEN_SALT: secret(),
    JWT_SECRET: secret(),
    ENCRYPTION_KEY: secret(),
    SEED_ON_EMPTY: options.seed === false
      ? 'false'
      : 'true',
    STRAPI_TELEMETRY_DISABLED: 'true',
    SITE_API_KEY: randomBytes(32).toString('base64url'),
    SITE_URL: 'http://site.test',
    // the REST API's rate limits would refuse the many requests of a test file from one address;
    // cms/tests/api-http.test.ts turns them on with its own limits
    API_RATE_LIMIT: 'off',
    ...options.env,
  })
  delete process.env.ADMIN_EMAIL
  delete process.env.ADMIN_PASSWORD
  if (options.postgresUrl) {
    process.env.DATABASE_CLIENT = 'postgres'
    process.env.DATABASE_URL = options.postgresUrl
  }
  else {
    process.env.DATABASE_CLIENT = 'sqlite'
    process.env.DATABASE_FILENAME = databaseFile!
  }

  // strapi.destroy() calls process.removeAllListeners(), which would cut the test worker's own
  // IPC and error listeners: remember them here and put them back after destroy.
  const listenersBefore = new Map(process.eventNames().map(event => [
    event,
    process.listeners(event as never),
  ]))
  const { createStrapi } = require('@strapi/strapi')
  const strapi: Core.Strapi = createStrapi({
    appDir: cmsDir,
    distDir,
    autoReload: false,
    serveAdminPanel: false,
  })
  strapi.log.level = 'warn'
  await strapi.load()
  await strapi.server.mount()
  const server = strapi.server.httpServer
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}`,
    strapi,
    siteKey: process.env.SITE_API_KEY!,
    databaseFile,
    async stop() {
      await strapi.destroy()
      for (const event of process.eventNames()) {
        const before = listenersBefore.get(event) ?? []
        for (const listener of process.listeners(event as never)) {
          if (!before.includes(listener))
            process.removeListener(event as never, listener as never)
        }
      }
      for (const [event, listeners] of listenersBefore) {
        const now = process.listeners(event as never)
        for (const listener of listeners) {
          if (!now.includes(listener))
            process.on(event as never, listener as never)
        }
      }
      if (dir)
        rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** GET a path of the CMS and parse the JSON body. */
export async function getJson<T = any>(cms: { url: string }, path: string, init?: RequestInit): Promise<{ status: number, body: T }> {
  const response = await fetch(`${cms.url}${path}`, init)
  const text = await response.text()
  let body: any = text
  try {
    body = JSON.parse(text)
  }
  catch {
    /* not JSON: keep the text */
  }
  return { status: response.status, body }
}
