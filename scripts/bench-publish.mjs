// Part of `pnpm bench` (and `pnpm bench:publish` alone): publish-to-live, the time from an editor's
// publish to the first public response that shows it. The compiled CMS (cms/scripts/instance.cjs,
// production mode, a new temporary SQLite file with the seed) and the built site (web/.output), the
// CMS's content webhook pointing at the site (SITE_WEBHOOK_URLS, a fresh SITE_WEBHOOK_SECRET). The
// newest public news article gets a new title and is published, RUNS times (default 20,
// `--runs N`); after each publish the article's page, the news list and Home are requested every
// 25 ms until each shows the new title. Prints p50/p95/max per page against the goal (p95 <= 2 s).
// Without the webhook, a change waits for the CMS read cache (15 s) and the page cache (swr 60 s).
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cmsDir, compileCms, root, startCmsInstance } from './lib/cms-instance.mjs'
import { waitFor } from './lib/wait-for.mjs'

const args = process.argv.slice(2)
const runs = Number(args.includes('--runs')
  ? args[args.indexOf('--runs') + 1]
  : 20) || 20
const GOAL_MS = 2000

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)]
}

const siteEntry = join(root, 'web/.output/server/index.mjs')
if (!existsSync(siteEntry))
  throw new Error('the site is not built: run `node scripts/ensure-web-build.mjs` (pnpm bench does)')
if (!existsSync(join(cmsDir, 'dist/src/index.js')))
  compileCms('bench:publish')

const dir = mkdtempSync(join(tmpdir(), 'isecg-bench-publish-'))
const [cmsPort, sitePort] = [await freePort(), await freePort()]
const webhookSecret = `whsec_${randomBytes(32).toString('base64')}`
const siteKey = randomBytes(32).toString('base64url')
const siteUrl = `http://127.0.0.1:${sitePort}`
let site
let cms
try {
  console.log('bench:publish: starting a CMS on a temporary database and the built site…')
  cms = await startCmsInstance({
    INSTANCE_PORT: String(cmsPort),
    DATABASE_CLIENT: 'sqlite',
    DATABASE_FILENAME: join(dir, 'data.db'),
    SEED_ON_EMPTY: 'true',
    SITE_API_KEY: siteKey,
    SITE_URL: siteUrl,
    SITE_WEBHOOK_URLS: `${siteUrl}/api/cache/webhook`,
    SITE_WEBHOOK_SECRET: webhookSecret,
  })
  site = spawn(process.execPath, [siteEntry], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(sitePort),
      NUXT_CMS_URL: `http://127.0.0.1:${cmsPort}`,
      NUXT_PUBLIC_SITE_URL: siteUrl,
      NUXT_SESSION_PASSWORD: randomBytes(32).toString('base64url'),
      NUXT_SITE_API_KEY: siteKey,
      NUXT_CONTENT_WEBHOOK_SECRET: webhookSecret,
    },
  })
  if (!(await waitFor(`${siteUrl}/robots.txt`, 60_000)))
    throw new Error('the site did not start')

  const { documentId, slug } = await cms.call('latestNews')
  const pages = [
    ['news page', `/news/${slug}`],
    ['news list', '/news'],
    ['home', '/'],
  ]
  const shows = async (path, title) => (await (await fetch(`${siteUrl}${path}`)).text()).includes(title)
  for (const [, path] of pages) await shows(path, '') // cached before the first run

  const times = Object.fromEntries(pages.map(([name]) => [name, []]))
  for (let run = 1; run <= runs; run++) {
    const title = `Publish to live ${run} ${randomBytes(3).toString('hex')}`
    const started = performance.now()
    await cms.call('retitle', { documentId, title })
    await Promise.all(pages.map(async ([name, path]) => {
      for (;;) {
        if (await shows(path, title)) {
          times[name].push(performance.now() - started)
          return
        }
        if (performance.now() - started > 120_000)
          throw new Error(`${path} did not show the new title within 120 s`)
        await new Promise(resolve => setTimeout(resolve, 25))
      }
    }))
    // the pages are cached again before the next publish, as on a live site
    for (const [, path] of pages) await shows(path, '')
  }

  console.log(`\npublish-to-live, ${runs} runs (from the publish call to the first response showing the new title)`)
  console.log(`${'page'.padEnd(12)}${'p50 ms'.padStart(9)}${'p95 ms'.padStart(9)}${'max ms'.padStart(9)}  goal p95 <= ${GOAL_MS} ms`)
  let met = true
  for (const [name] of pages) {
    const sorted = times[name].sort((a, b) => a - b)
    const p95 = percentile(sorted, 95)
    met &&= p95 <= GOAL_MS
    console.log(`${name.padEnd(12)}${percentile(sorted, 50).toFixed(0).padStart(9)}${p95.toFixed(0).padStart(9)}${sorted.at(-1).toFixed(0).padStart(9)}  ${p95 <= GOAL_MS
      ? 'met'
      : 'NOT met'}`)
  }
  process.exitCode = met
    ? 0
    : 1
}
finally {
  site?.kill('SIGTERM')
  await cms?.stop()
  rmSync(dir, { recursive: true, force: true })
}
