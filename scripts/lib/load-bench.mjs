/**
 * Part of `pnpm bench` (scripts/bench.mjs, the one benchmark entry point). Load benchmark of the public site against the CMS, in one run:
 *
 *   0. the limit         a bare node:http server (its own process) answering every request with
 *                        the bytes and headers of the cached /members: what Node itself costs
 *   1. a cached page     GET <site>/members            (answered from the Nitro SWR cache)
 *   2. an uncached page  GET <site>/members with a member-session cookie (the page cache steps
 *                        aside: full SSR, its CMS reads from the CMS read cache)
 *   3. the CMS directly  GET <cms>/api/member-agencies?… (the list the page is built from)
 *   4. the CMS news list GET <cms>/api/news-articles?sort=date:desc&pagination[pageSize]=25, from
 *                        the CMS's response cache and uncached (a `Cookie` header makes the cache
 *                        step aside: cms/src/content-api/response-cache.ts)
 *   5. with --cms-scale <url> (a CMS holding `pnpm seed:scale`'s 10,000 generated articles, started
 *      by `pnpm bench --scale`): the same list there, page 1 and page 300, cached and uncached
 *
 * and prints requests/s and p50/p95/p99 latency for each, the ratios, and the peak memory (VmHWM)
 * of each server process.
 *
 * `pnpm bench` starts the production builds and calls this; against servers already running:
 *
 *   SITE_URL=http://localhost:3000 CMS_URL=http://localhost:1337 pnpm bench --no-lighthouse
 *   (options: --duration 10 --connections 10 --json)
 *
 * Environment variables SITE_URL, CMS_URL, BENCH_DURATION and BENCH_CONNECTIONS work too.
 * Exit code 1 if any run had errors or non-2xx answers.
 */
import { execFileSync, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { parseArgs } from 'node:util'

// autocannon is a devDependency of web/
const require = createRequire(new URL('../../web/package.json', import.meta.url))
const autocannon = require('autocannon')

const { values: args } = parseArgs({
  options: {
    'site': { type: 'string', default: process.env.SITE_URL ?? 'http://localhost:3000' },
    'cms': { type: 'string', default: process.env.CMS_URL ?? 'http://localhost:1337' },
    'cms-scale': { type: 'string', default: process.env.CMS_SCALE_URL },
    'duration': { type: 'string', default: process.env.BENCH_DURATION ?? '10' },
    'connections': { type: 'string', default: process.env.BENCH_CONNECTIONS ?? '10' },
    'json': { type: 'boolean', default: false },
  },
})

const site = args.site.replace(/\/+$/, '')
const cms = args.cms.replace(/\/+$/, '')
const cmsScale = args['cms-scale']?.replace(/\/+$/, '')
const duration = Number(args.duration)
const connections = Number(args.connections)

const CMS_LIST = '/api/member-agencies?fields[0]=name&fields[1]=acronym&fields[2]=slug&fields[3]=country'
  + '&fields[4]=website&fields[5]=yearJoined&fields[6]=founder&fields[7]=sortOrder'
  + '&populate[logo][fields][0]=url&populate[logo][fields][1]=alternativeText'
  + '&sort[0]=sortOrder:asc&sort[1]=acronym:asc&pagination[page]=1&pagination[pageSize]=100'

const NEWS_LIST = '/api/news-articles?sort=date:desc&pagination[pageSize]=25'
const NEWS_DEEP = `${NEWS_LIST}&pagination[page]=300`
// any cookie makes the CMS's response cache step aside (X-Cache: BYPASS): the full Content API path
const UNCACHED = { cookie: 'bench=uncached' }

/** The pid of the process listening on the URL's port (Linux: `ss`), or null. */
function serverPid(url) {
  try {
    const port = new URL(url).port || '80'
    const line = execFileSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' })
    return line.match(/pid=(\d+)/)?.[1] ?? null
  }
  catch {
    return null
  }
}

/** Peak resident memory (VmHWM, MB) of the process listening on the URL's port, or null. */
function peakMemoryMb(url) {
  const pid = serverPid(url)
  if (!pid)
    return null
  const kb = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmHWM:\s+(\d+)/m)?.[1]
  return kb
    ? Number(kb) / 1024
    : null
}

/**
 * CPU seconds used so far by the process listening on the URL's port (Linux: `ss` and /proc), so
 * that each run can report requests per second per core of the server under test, independent of
 * what the load generator itself costs on this 2-core machine. Null when it cannot be found.
 */
function serverCpu(url) {
  try {
    const pid = serverPid(url)
    if (!pid)
      return null
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

async function check(url, headers = {}) {
  const response = await fetch(url, {
    headers: { accept: 'text/html,application/json', ...headers },
  }).catch(error => ({ ok: false, status: error.message }))
  if (!response.ok)
    throw new Error(`${url} answered ${response.status}; are the CMS and the site running?`)
}

/** The p-th percentile of sorted latencies, in ms to one decimal. */
function percentile(sorted, p) {
  if (sorted.length === 0)
    return null
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)] * 10) / 10
}

function run(title, url, extra = {}) {
  const cpu = serverCpu(url)
  const cpuBefore = cpu?.()
  const latencies = []
  return new Promise((resolve, reject) => {
    const instance = autocannon({
      url,
      duration,
      connections,
      ...extra,
      headers: { accept: 'text/html,application/json', ...extra.headers },
    }, (error, result) => {
      if (error) {
        reject(error)
      }
      else {
        latencies.sort((a, b) => a - b)
        resolve({
          title,
          url,
          result,
          p50: percentile(latencies, 50),
          p95: percentile(latencies, 95),
          p99: percentile(latencies, 99),
          cpuSeconds: cpu
            ? cpu() - cpuBefore
            : null,
        })
      }
    })
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime))
    autocannon.track(instance, { renderProgressBar: false, renderResultsTable: false, renderLatencyTable: false })
  })
}

await check(`${site}/members`)
await check(`${cms}${CMS_LIST}`)
// Warm the cache for the cached page, so that its run measures cache hits only.
await fetch(`${site}/members`)

/**
 * A bare node:http server in a process of its own that answers every request with the given bytes
 * and headers: the most Node can serve on this machine, the limit for a cached page.
 */
async function startBareServer(body, headers) {
  const code = `
    const http = require('node:http')
    const body = Buffer.from(process.env.BODY, 'base64')
    const headers = JSON.parse(process.env.HEADERS)
    const server = http.createServer((req, res) => { res.writeHead(200, headers); res.end(body) })
    server.listen(0, '127.0.0.1', () => console.log(server.address().port))
  `
  const child = spawn(process.execPath, ['-e', code], {
    env: {
      ...process.env,
      BODY: body.toString('base64'),
      HEADERS: JSON.stringify(headers),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const port = await new Promise((resolve, reject) => {
    child.stdout.once('data', data => resolve(Number(String(data).trim())))
    child.once('exit', code => reject(new Error(`the bare server exited (${code})`)))
  })
  return {
    url: `http://127.0.0.1:${port}/members`,
    stop: () => child.kill(),
  }
}

// the cached page's bytes and headers, as autocannon gets them (no compression asked for)
const sample = await fetch(`${site}/members`, {
  headers: { accept: 'text/html,application/json' },
})
const sampleHeaders = Object.fromEntries([...sample.headers].filter(([name]) => ![
  'content-encoding',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'date',
].includes(name)))
const bare = await startBareServer(Buffer.from(await sample.arrayBuffer()), sampleHeaders)

// a member-session cookie (not a valid session: the page renders as for anyone) makes the page
// cache step aside: every request renders the page (web/server/plugins/page-cache.ts)
const PAGE_CACHE_BYPASS = { cookie: 'isecg-session=bench' }

const runs = []
try {
  runs.push(await run('bare node limit', bare.url))
}
finally {
  bare.stop()
}
runs.push(await run('cached page', `${site}/members`))
runs.push(await run('uncached page', `${site}/members`, { headers: PAGE_CACHE_BYPASS }))
runs.push(await run('CMS list endpoint', `${cms}${CMS_LIST}`))

// the news list, from the response cache (warmed first) and without it; then at scale
async function newsRuns(label, base, paths) {
  for (const [name, path] of paths) {
    await check(`${base}${path}`)
    await check(`${base}${path}`, UNCACHED)
    runs.push(await run(`${label} ${name} cached`, `${base}${path}`))
    runs.push(await run(`${label} ${name} uncached`, `${base}${path}`, { headers: UNCACHED }))
  }
}
await newsRuns('CMS news', cms, [
  ['p1', NEWS_LIST],
])
if (cmsScale) {
  await newsRuns('10k news', cmsScale, [
    ['p1', NEWS_LIST],
    ['p300', NEWS_DEEP],
  ])
}

const memory = {
  siteMb: peakMemoryMb(site),
  cmsMb: peakMemoryMb(cms),
  ...(cmsScale
    ? {
        cmsScaleMb: peakMemoryMb(cmsScale),
      }
    : {}),
}

const rows = runs.map(({ title, url, result, cpuSeconds, p50, p95, p99 }) => ({
  title,
  // requests served per CPU-second of the server process: req/s per core
  requestsPerCore: cpuSeconds
    ? result.requests.total / cpuSeconds
    : null,
  serverCores: cpuSeconds
    ? cpuSeconds / (result.duration || duration)
    : null,
  url: title === 'uncached page'
    ? `${site}/members (Cookie: isecg-session=bench)`
    : title === 'bare node limit'
      ? 'node:http, the bytes of the cached /members'
      : url,
  requestsPerSecond: result.requests.average,
  p50Ms: p50,
  p95Ms: p95,
  p99Ms: p99 ?? result.latency.p99,
  errors: result.errors + result.timeouts + result.non2xx,
}))
const [limit, cached, uncached, direct] = rows
const byTitle = title => rows.find(row => row.title === title)
function newsRatio(label) {
  const hit = byTitle(`${label} cached`)
  const miss = byTitle(`${label} uncached`)
  return hit && miss
    ? hit.requestsPerSecond / miss.requestsPerSecond
    : undefined
}
const ratios = {
  cachedVsLimit: cached.requestsPerSecond / limit.requestsPerSecond,
  cachedVsLimitPerCore: cached.requestsPerCore && limit.requestsPerCore
    ? cached.requestsPerCore / limit.requestsPerCore
    : undefined,
  cachedVsUncached: cached.requestsPerSecond / uncached.requestsPerSecond,
  cachedVsCms: cached.requestsPerSecond / direct.requestsPerSecond,
  uncachedVsCms: uncached.requestsPerSecond / direct.requestsPerSecond,
  p99UncachedVsCached: uncached.p99Ms / Math.max(cached.p99Ms, 1),
  newsCachedVsUncached: newsRatio('CMS news p1'),
  ...(cmsScale
    ? {
        scaleP1CachedVsUncached: newsRatio('10k news p1'),
        scaleP300CachedVsUncached: newsRatio('10k news p300'),
      }
    : {}),
}

if (args.json) {
  console.log(JSON.stringify({
    duration,
    connections,
    rows,
    ratios,
    memory,
  }, null, 2))
}
else {
  console.log(`\n${duration}s per run, ${connections} connections\n`)
  console.log(`${'run'.padEnd(26)}${'req/s'.padStart(8)}${'req/s/core'.padStart(12)}${'cores'.padStart(7)}${'p50'.padStart(8)}${'p95'.padStart(8)}${'p99 ms'.padStart(8)}${'errors'.padStart(8)}  url`)
  for (const row of rows) {
    const perCore = row.requestsPerCore === null
      ? 'n/a'
      : row.requestsPerCore.toFixed(0)
    const cores = row.serverCores === null
      ? 'n/a'
      : row.serverCores.toFixed(2)
    console.log(`${row.title.padEnd(26)}${row.requestsPerSecond.toFixed(0).padStart(8)}${perCore.padStart(12)}${cores.padStart(7)}${String(row.p50Ms).padStart(8)}${String(row.p95Ms).padStart(8)}${String(row.p99Ms).padStart(8)}${String(row.errors).padStart(8)}  ${row.url}`)
  }
  console.log('  req/s/core: requests served per CPU-second of the server process;')
  console.log('  cores: CPU the server process used during the run (autocannon runs on the same machine)')
  console.log('\nratios')
  console.log(`  cached page / bare node limit   ${(ratios.cachedVsLimit * 100).toFixed(0)} % req/s, ${ratios.cachedVsLimitPerCore === undefined
    ? 'n/a'
    : `${(ratios.cachedVsLimitPerCore * 100).toFixed(0)} %`} req/s/core (goal >= 80 %)`)
  console.log(`  uncached page per core          ${uncached.requestsPerCore === null
    ? 'n/a'
    : uncached.requestsPerCore.toFixed(0)} req/s/core (goal >= 250)`)
  console.log(`  cached page / uncached page     ${ratios.cachedVsUncached.toFixed(1)}x req/s`)
  console.log(`  cached page / CMS endpoint      ${ratios.cachedVsCms.toFixed(1)}x req/s`)
  console.log(`  uncached page / CMS endpoint    ${ratios.uncachedVsCms.toFixed(2)}x req/s`)
  console.log(`  p99 uncached / p99 cached       ${ratios.p99UncachedVsCached.toFixed(1)}x`)
  for (const [name, key] of [
    ['CMS news p1', 'newsCachedVsUncached'],
    ['10k news p1', 'scaleP1CachedVsUncached'],
    ['10k news p300', 'scaleP300CachedVsUncached'],
  ]) {
    if (ratios[key] !== undefined)
      console.log(`  ${`${name} cached / uncached`.padEnd(32)}${ratios[key].toFixed(1)}x req/s`)
  }
  console.log('  (CMS goal at 10,000 articles: p95 <= 50 ms and >= 500 req/s)')
  console.log('\npeak memory (VmHWM)')
  for (const [name, mb] of Object.entries(memory)) {
    console.log(`  ${name.replace(/Mb$/, '').padEnd(10)}${mb === null
      ? 'n/a'
      : `${mb.toFixed(0)} MB`}`)
  }
}

process.exitCode = rows.some(row => row.errors > 0)
  ? 1
  : 0
