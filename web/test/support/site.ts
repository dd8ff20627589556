import type { ChildProcess } from 'node:child_process'
/**
 * Starts the built site (`node web/.output/server/index.mjs`) on a free loopback port against a
 * given CMS URL, and stops it. Used by the server and e2e tests.
 *
 *   const site = await startSite({ cmsUrl: cms.url })
 *   await fetch(`${site.url}/news`)
 *   await site.stop()
 */
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { serverEntry } from './paths'

export interface SiteInstance {
  url: string
  port: number
  process: ChildProcess
  /** Everything the server printed, for assertions and debugging. */
  output: () => string
  /**
   * Empties the page cache and the CMS read cache (POST /api/cache/purge with the site key), as
   * when content changes in the CMS: a test that changes content calls it before reading pages.
   */
  purgeCaches: () => Promise<void>
  stop: () => Promise<void>
}

export interface StartSiteOptions {
  cmsUrl: string
  port?: number
  /** Public site URL for canonical links, feed and sitemap (defaults to the local URL). */
  siteUrl?: string
  /** The CMS's SITE_API_KEY, for the Private Area's calls (NUXT_SITE_API_KEY; a random one by default). */
  siteKey?: string
  env?: Record<string, string>
  /** How long to wait for the server to answer, in ms. */
  timeoutMs?: number
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address
        ? address.port
        : 0
      server.close(() => resolve(port))
    })
  })
}

export async function startSite(options: StartSiteOptions): Promise<SiteInstance> {
  if (!existsSync(serverEntry)) {
    throw new Error(`The site is not built (${serverEntry} is missing). Run \`pnpm --filter web build\` first.`)
  }
  const port = options.port ?? await freePort()
  const siteKey = options.siteKey ?? randomBytes(32).toString('base64url')
  const url = `http://127.0.0.1:${port}`
  // @nuxt/content writes its SQLite file into the working directory: give it a throwaway one.
  const cwd = mkdtempSync(join(tmpdir(), 'isecg-web-'))
  let output = ''
  const child = spawn(process.execPath, [serverEntry], {
    cwd,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      NITRO_HOST: '127.0.0.1',
      NITRO_PORT: String(port),
      NUXT_CMS_URL: options.cmsUrl,
      NUXT_PUBLIC_SITE_URL: options.siteUrl ?? url,
      // required in production (server/utils/origins.ts)
      NUXT_SESSION_PASSWORD: randomBytes(32).toString('base64url'),
      NUXT_SITE_API_KEY: siteKey,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const collect = (chunk: Buffer) => {
    output += chunk
  }
  child.stdout?.on('data', collect)
  child.stderr?.on('data', collect)

  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()))
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
      await exited
      clearTimeout(timer)
    }
    rmSync(cwd, { recursive: true, force: true })
  }

  const deadline = Date.now() + (options.timeoutMs ?? 30_000)
  while (true) {
    if (child.exitCode !== null) {
      rmSync(cwd, { recursive: true, force: true })
      throw new Error(`The site exited with code ${child.exitCode}:\n${output}`)
    }
    try {
      // robots.txt needs no CMS, so it tells that the server itself is up.
      const response = await fetch(`${url}/robots.txt`)
      if (response.ok)
        break
    }
    catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`The site did not answer on ${url} in time:\n${output}`)
    }
    await new Promise(resolve => setTimeout(resolve, 150))
  }

  return {
    url,
    port,
    process: child,
    output: () => output,
    async purgeCaches() {
      const response = await fetch(`${url}/api/cache/purge`, {
        method: 'POST',
        headers: { 'x-site-key': siteKey },
      })
      if (response.status !== 204)
        throw new Error(`purging the site's caches answered ${response.status}`)
    },
    stop,
  }
}
