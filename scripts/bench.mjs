// `pnpm bench`: starts the production builds (CMS + site, as `pnpm start` does, on ports 1347 and
// 3010 so a running `pnpm dev` is left alone), then runs in one go:
//   - scripts/lib/load-bench.mjs: autocannon against a cached page, an uncached page and the CMS list
//     endpoint, printing req/s and p99 for each and their ratios;
//   - scripts/lighthouse.mjs: Lighthouse performance and accessibility of Home, News, Publications.
//   - with --scale: a second CMS (port 1348) on a temporary SQLite database filled by
//     `pnpm seed:scale` (the seeded content plus 10,000 generated news articles), whose news list is
//     measured at page 1 and page 300, from the response cache and uncached. The temporary database
//     is deleted afterwards; the regular databases are never touched.
//   - scripts/bench-publish.mjs: publish-to-live (an editor's publish to the first public response
//     showing it) for a news page, the news list and Home, 20 runs, on a CMS and site of its own.
// Options: --no-lighthouse, --no-publish, --scale, and any of scripts/lib/load-bench.mjs's (--duration, --connections).
// To measure servers that are already running: SITE_URL=… CMS_URL=… [CMS_SCALE_URL=…] pnpm bench
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { waitFor } from './lib/wait-for.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const lighthouse = !args.includes('--no-lighthouse')
const scale = args.includes('--scale')
const passThrough = args.filter(arg => arg !== '--no-lighthouse' && arg !== '--scale' && arg !== '--no-publish')

let server
let scaleServer
let scaleDir
let site = process.env.SITE_URL
let cms = process.env.CMS_URL
let cmsScale = process.env.CMS_SCALE_URL

function stop() {
  for (const child of [server, scaleServer]) {
    if (child && child.exitCode === null)
      process.kill(-child.pid, 'SIGTERM')
  }
  if (scaleDir)
    rmSync(scaleDir, { recursive: true, force: true })
}
process.on('exit', stop)
process.on('SIGINT', () => process.exit(130))

// ports of the servers started here (BENCH_*_PORT when another bench holds the defaults)
const ports = {
  cms: process.env.BENCH_CMS_PORT ?? '1347',
  web: process.env.BENCH_WEB_PORT ?? '3010',
  scale: process.env.BENCH_SCALE_PORT ?? '1348',
}

if (!site || !cms) {
  site = `http://localhost:${ports.web}`
  cms = `http://localhost:${ports.cms}`
  console.log('bench: starting the production builds (builds first when needed)…')
  server = spawn(process.execPath, [
    join(root, 'scripts/dev.mjs'),
    '--built',
  ], {
    cwd: root,
    env: {
      ...process.env,
      CMS_PORT: ports.cms,
      WEB_PORT: ports.web,
      NODE_ENV: 'production',
      // throughput is measured from one address: the REST API's per-client limit would refuse it
      API_RATE_LIMIT: 'off',
    },
    // the servers' own output is dropped; set BENCH_VERBOSE=1 to see why one does not start
    stdio: [
      'ignore',
      process.env.BENCH_VERBOSE
        ? 'inherit'
        : 'ignore',
      'inherit',
    ],
    detached: true,
  })
  for (const [url, timeoutMs] of [
    [`${cms}/_health`, 900_000],
    [`${site}/robots.txt`, 300_000],
  ]) {
    if (!(await waitFor(url, timeoutMs)))
      throw new Error(`${url} did not answer in time`)
  }
}

if (scale && !cmsScale) {
  scaleDir = mkdtempSync(join(tmpdir(), 'isecg-bench-scale-'))
  const database = join(scaleDir, 'scale.db')
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    SITE_URL: site,
    API_RATE_LIMIT: 'off',
    DATABASE_CLIENT: 'sqlite',
    DATABASE_FILENAME: database,
  }
  console.log(`bench: seeding 10,000 news articles into ${database} (pnpm seed:scale)…`)
  if (spawnSync(process.execPath, [
    join(root, 'scripts/seed-scale.mjs'),
    '--database',
    database,
  ], { cwd: root, env, stdio: 'inherit' }).status !== 0) {
    throw new Error('pnpm seed:scale failed')
  }
  cmsScale = `http://localhost:${ports.scale}`
  scaleServer = spawn('pnpm', ['exec', 'strapi', 'start'], {
    cwd: join(root, 'cms'),
    env: { ...env, PORT: ports.scale },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  })
  if (!(await waitFor(`${cmsScale}/_health`, 300_000)))
    throw new Error(`${cmsScale}/_health did not answer in time`)
}

function node(script, scriptArgs) {
  return spawnSync(process.execPath, [
    join(root, script),
    ...scriptArgs,
  ], { cwd: root, stdio: 'inherit' }).status ?? 1
}
let status = node('scripts/lib/load-bench.mjs', [
  '--site',
  site,
  '--cms',
  cms,
  ...(cmsScale
    ? ['--cms-scale', cmsScale]
    : []),
  ...passThrough,
])
if (lighthouse)
  status = node('scripts/lighthouse.mjs', [site]) || status
// its own CMS and site (a temporary database it republishes in), after the others are stopped
stop()
if (!args.includes('--no-publish'))
  status = node('scripts/bench-publish.mjs', []) || status
process.exit(status)
