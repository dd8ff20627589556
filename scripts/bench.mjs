// `pnpm bench`: starts the production builds (CMS + site, as `pnpm start` does, on ports 1347 and
// 3010 so a running `pnpm dev` is left alone), then runs in one go:
//   - scripts/lib/load-bench.mjs: autocannon against a cached page, an uncached page and the CMS list
//     endpoint, printing req/s and p99 for each and their ratios;
//   - scripts/lighthouse.mjs: Lighthouse performance and accessibility of Home, News, Publications.
// Options: --no-lighthouse, and any of scripts/lib/load-bench.mjs's (--duration, --connections).
// To measure servers that are already running: SITE_URL=… CMS_URL=… pnpm bench
import { spawn, spawnSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { waitFor } from './lib/wait-for.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const lighthouse = !args.includes('--no-lighthouse')
const passThrough = args.filter(arg => arg !== '--no-lighthouse')

let server
let site = process.env.SITE_URL
let cms = process.env.CMS_URL

function stop() {
  if (server && server.exitCode === null)
    process.kill(-server.pid, 'SIGTERM')
}
process.on('exit', stop)
process.on('SIGINT', () => process.exit(130))

if (!site || !cms) {
  site = 'http://localhost:3010'
  cms = 'http://localhost:1347'
  console.log('bench: starting the production builds (builds first when needed)…')
  server = spawn(process.execPath, [
    join(root, 'scripts/dev.mjs'),
    '--built',
  ], {
    cwd: root,
    env: {
      ...process.env,
      CMS_PORT: '1347',
      WEB_PORT: '3010',
      NODE_ENV: 'production',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
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
  ...passThrough,
])
if (lighthouse)
  status = node('scripts/lighthouse.mjs', [site]) || status
stop()
process.exit(status)
