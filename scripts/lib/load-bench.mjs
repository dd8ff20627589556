/**
 * Part of `pnpm bench` (scripts/bench.mjs, the one benchmark entry point). Load benchmark of the public site against the CMS, in one run:
 *
 *   1. a cached page     GET <site>/members            (answered from the Nitro SWR cache)
 *   2. an uncached page  GET <site>/members?bench=<n>  (a new cache key per request: full SSR,
 *                                                       one CMS call per request)
 *   3. the CMS directly  GET <cms>/api/member-agencies?… (the list the page is built from)
 *
 * and prints requests/s and p99 latency for each, plus the ratios.
 *
 * `pnpm bench` starts the production builds and calls this; against servers already running:
 *
 *   SITE_URL=http://localhost:3000 CMS_URL=http://localhost:1337 pnpm bench --no-lighthouse
 *   (options: --duration 10 --connections 10 --json)
 *
 * Environment variables SITE_URL, CMS_URL, BENCH_DURATION and BENCH_CONNECTIONS work too.
 * Exit code 1 if any run had errors or non-2xx answers.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { parseArgs } from 'node:util'

// autocannon is a devDependency of web/
const require = createRequire(new URL('../../web/package.json', import.meta.url))
const autocannon = require('autocannon')

const { values: args } = parseArgs({
  options: {
    site: { type: 'string', default: process.env.SITE_URL ?? 'http://localhost:3000' },
    cms: { type: 'string', default: process.env.CMS_URL ?? 'http://localhost:1337' },
    duration: { type: 'string', default: process.env.BENCH_DURATION ?? '10' },
    connections: { type: 'string', default: process.env.BENCH_CONNECTIONS ?? '10' },
    json: { type: 'boolean', default: false },
  },
})

const site = args.site.replace(/\/+$/, '')
const cms = args.cms.replace(/\/+$/, '')
const duration = Number(args.duration)
const connections = Number(args.connections)

const CMS_LIST = '/api/member-agencies?fields[0]=name&fields[1]=acronym&fields[2]=slug&fields[3]=country'
  + '&fields[4]=website&fields[5]=yearJoined&fields[6]=founder&fields[7]=sortOrder'
  + '&populate[logo][fields][0]=url&populate[logo][fields][1]=alternativeText'
  + '&sort[0]=sortOrder:asc&sort[1]=acronym:asc&pagination[page]=1&pagination[pageSize]=100'

/**
 * CPU seconds used so far by the process listening on the URL's port (Linux: `ss` and /proc), so
 * that each run can report requests per second per core of the server under test, independent of
 * what the load generator itself costs on this 2-core machine. Null when it cannot be found.
 */
function serverCpu(url) {
  try {
    const port = new URL(url).port || '80'
    const line = execFileSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' })
    const pid = line.match(/pid=(\d+)/)?.[1]
    if (!pid)
      return null
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100
    return () => {
      const now = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
      return (Number(now[11]) + Number(now[12])) / ticks
    }
  }
  catch {
    return null
  }
}

async function check(url) {
  const response = await fetch(url, {
    headers: { accept: 'text/html,application/json' },
  }).catch(error => ({ ok: false, status: error.message }))
  if (!response.ok)
    throw new Error(`${url} answered ${response.status}; are the CMS and the site running?`)
}

function run(title, url, extra = {}) {
  const cpu = serverCpu(url)
  const cpuBefore = cpu?.()
  return new Promise((resolve, reject) => {
    const instance = autocannon({
      url,
      duration,
      connections,
      headers: { accept: 'text/html,application/json' },
      ...extra,
    }, (error, result) => {
      if (error) {
        reject(error)
      }
      else {
        resolve({
          title,
          url,
          result,
          cpuSeconds: cpu
            ? cpu() - cpuBefore
            : null,
        })
      }
    })
    autocannon.track(instance, { renderProgressBar: false, renderResultsTable: false, renderLatencyTable: false })
  })
}

await check(`${site}/members`)
await check(`${cms}${CMS_LIST}`)
// Warm the cache for the cached page, so that its run measures cache hits only.
await fetch(`${site}/members`)

let counter = 0
const runs = []
runs.push(await run('cached page', `${site}/members`))
runs.push(await run('uncached page', `${site}/members`, {
  requests: [
    {
      setupRequest: request => ({ ...request, path: `/members?bench=${Date.now()}-${counter++}` }),
    },
  ],
}))
runs.push(await run('CMS list endpoint', `${cms}${CMS_LIST}`))

const rows = runs.map(({ title, url, result, cpuSeconds }) => ({
  title,
  // requests served per CPU-second of the server process: req/s per core
  requestsPerCore: cpuSeconds
    ? result.requests.total / cpuSeconds
    : null,
  serverCores: cpuSeconds
    ? cpuSeconds / (result.duration || duration)
    : null,
  url: title === 'uncached page'
    ? `${site}/members?bench=<n>`
    : url,
  requestsPerSecond: result.requests.average,
  p99Ms: result.latency.p99,
  errors: result.errors + result.timeouts + result.non2xx,
}))
const [cached, uncached, direct] = rows
const ratios = {
  cachedVsUncached: cached.requestsPerSecond / uncached.requestsPerSecond,
  cachedVsCms: cached.requestsPerSecond / direct.requestsPerSecond,
  uncachedVsCms: uncached.requestsPerSecond / direct.requestsPerSecond,
  p99UncachedVsCached: uncached.p99Ms / Math.max(cached.p99Ms, 1),
}

if (args.json) {
  console.log(JSON.stringify({ duration, connections, rows, ratios }, null, 2))
}
else {
  console.log(`\n${duration}s per run, ${connections} connections\n`)
  console.log(`${'run'.padEnd(20)}${'req/s'.padStart(10)}${'req/s/core'.padStart(12)}${'cores'.padStart(7)}${'p99 ms'.padStart(10)}${'errors'.padStart(8)}  url`)
  for (const row of rows) {
    const perCore = row.requestsPerCore === null
      ? 'n/a'
      : row.requestsPerCore.toFixed(0)
    const cores = row.serverCores === null
      ? 'n/a'
      : row.serverCores.toFixed(2)
    console.log(`${row.title.padEnd(20)}${row.requestsPerSecond.toFixed(0).padStart(10)}${perCore.padStart(12)}${cores.padStart(7)}${String(row.p99Ms).padStart(10)}${String(row.errors).padStart(8)}  ${row.url}`)
  }
  console.log('  req/s/core: requests served per CPU-second of the server process (the goal for the cached page is >= 5000);')
  console.log('  cores: CPU the server process used during the run (autocannon runs on the same machine)')
  console.log('\nratios')
  console.log(`  cached page / uncached page   ${ratios.cachedVsUncached.toFixed(1)}x req/s`)
  console.log(`  cached page / CMS endpoint    ${ratios.cachedVsCms.toFixed(1)}x req/s`)
  console.log(`  uncached page / CMS endpoint  ${ratios.uncachedVsCms.toFixed(2)}x req/s`)
  console.log(`  p99 uncached / p99 cached     ${ratios.p99UncachedVsCached.toFixed(1)}x`)
}

process.exitCode = rows.some(row => row.errors > 0)
  ? 1
  : 0
