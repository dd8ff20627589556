// `pnpm dev`: the CMS (Strapi, SQLite, seeded on first start), the site (Nuxt) and a mail inbox
// (MailDev: the Private Area's invitation and password mails) together.
// `pnpm start` (--built): the CMS and the site from production builds, building first when needed.
// Prints the URLs and the admin login once both answer. Ctrl-C stops them all.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { waitFor } from './lib/wait-for.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const built = process.argv.includes('--built')
const cmsPort = Number(process.env.CMS_PORT ?? 1337)
const webPort = Number(process.env.WEB_PORT ?? 3000)
const cmsUrl = `http://localhost:${cmsPort}`
const webUrl = `http://localhost:${webPort}`
const inboxUrl = 'http://localhost:1080'
const children = []

// set once shutting down, so that the other processes exiting is not reported as a failure
let stopping = false

function run(name, command, args, cwd, env = {}) {
  // own process group, so that stopping reaches the servers behind the pnpm wrapper too
  const child = spawn(command, args, {
    cwd,
    env: {
      ...process.env,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  const prefix = `[${name}] `
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = ''
    stream.on('data', (chunk) => {
      buffered += chunk
      const lines = buffered.split('\n')
      buffered = lines.pop()
      for (const line of lines) process.stdout.write(`${prefix + line}\n`)
    })
  }
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${prefix}exited (${signal ?? code}); stopping the other process`)
      stop(code ?? 1)
    }
  })
  children.push(child)
  return child
}

function stop(code = 0) {
  if (stopping)
    return
  stopping = true
  const signal = (name) => {
    for (const child of children) {
      try {
        process.kill(-child.pid, name)
      }
      catch {
        /* already gone */
      }
    }
  }
  signal('SIGTERM')
  const running = () => children.filter(child => child.exitCode === null && child.signalCode === null)
  const started = Date.now()
  const timer = setInterval(() => {
    if (running().length === 0)
      process.exit(code)
    if (Date.now() - started > 10_000) {
      signal('SIGKILL')
      process.exit(code)
    }
  }, 200)
  timer.unref?.()
  setTimeout(() => process.exit(code), 12_000)
}
process.on('SIGINT', () => stop(0))
process.on('SIGTERM', () => stop(0))

function readEnv(file) {
  if (!existsSync(file))
    return {}
  return Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter(line => /^[A-Z_]+=/.test(line))
      .map(line => [
        line.slice(0, line.indexOf('=')),
        line.slice(line.indexOf('=') + 1),
      ]),
  )
}

const cmsDir = join(root, 'cms')
const webDir = join(root, 'web')
// `pnpm start` runs the production builds as production: no generated admin, no dev defaults.
const mode = built
  ? { NODE_ENV: 'production' }
  : {}
spawnSync(process.execPath, [
  join(cmsDir, 'scripts/ensure-env.mjs'),
], {
  stdio: 'inherit',
  env: {
    ...process.env,
    ...mode,
  },
})

// The Private Area: the site's session password (generated into web/.env), its key for the CMS's
// member endpoints (the CMS's SITE_API_KEY, from cms/.env), and the site URL for the CMS's mail links
// (and for the admin's preview).
spawnSync(process.execPath, [
  join(webDir, 'scripts/ensure-env.mjs'),
], { stdio: 'inherit' })
// The content webhook (README, "Editors"): the CMS notifies this site of published changes, signed
// with SITE_WEBHOOK_SECRET (generated into cms/.env), which the site checks.
// The preview of drafts: the secret of the admin's preview URL and the credential that reads drafts,
// both generated into cms/.env (README "Preview").
const cmsEnv = readEnv(join(cmsDir, '.env'))
const privateArea = {
  cms: {
    SITE_URL: process.env.SITE_URL ?? webUrl,
    SITE_WEBHOOK_URLS: process.env.SITE_WEBHOOK_URLS ?? `${webUrl}/api/cache/webhook`,
  },
  web: {
    NUXT_SESSION_PASSWORD: readEnv(join(webDir, '.env')).NUXT_SESSION_PASSWORD,
    NUXT_SITE_API_KEY: process.env.NUXT_SITE_API_KEY ?? cmsEnv.SITE_API_KEY ?? '',
    NUXT_CONTENT_WEBHOOK_SECRET: process.env.NUXT_CONTENT_WEBHOOK_SECRET ?? cmsEnv.SITE_WEBHOOK_SECRET ?? '',
    NUXT_PREVIEW_SECRET: process.env.NUXT_PREVIEW_SECRET ?? cmsEnv.PREVIEW_SECRET ?? '',
    NUXT_CMS_PREVIEW_TOKEN: process.env.NUXT_CMS_PREVIEW_TOKEN ?? cmsEnv.PREVIEW_TOKEN ?? '',
  },
}

if (built) {
  if (!existsSync(join(cmsDir, 'dist/build/index.html')) && !existsSync(join(cmsDir, 'dist/build'))) {
    if (spawnSync('pnpm', ['--filter', 'cms', 'build'], { cwd: root, stdio: 'inherit' }).status !== 0)
      process.exit(1)
  }
  if (!existsSync(join(webDir, '.output/server/index.mjs'))) {
    if (spawnSync('pnpm', ['--filter', 'web', 'build'], { cwd: root, stdio: 'inherit' }).status !== 0)
      process.exit(1)
  }
  run('cms', 'pnpm', ['exec', 'strapi', 'start'], cmsDir, {
    ...mode,
    ...privateArea.cms,
    PORT: String(cmsPort),
  })
  run('web', process.execPath, ['.output/server/index.mjs'], webDir, {
    ...mode,
    ...privateArea.web,
    PORT: String(webPort),
    NUXT_CMS_URL: cmsUrl,
    NUXT_PUBLIC_SITE_URL: process.env.NUXT_PUBLIC_SITE_URL ?? webUrl,
  })
}
else {
  // every mail the CMS sends lands in MailDev's inbox (SMTP on 1025)
  run('mail', 'pnpm', [
    'exec',
    'maildev',
    '--smtp',
    '1025',
    '--web',
    '1080',
    '--ip',
    '127.0.0.1',
    '--web-ip',
    '127.0.0.1',
  ], root)
  run('cms', 'pnpm', ['exec', 'strapi', 'develop'], cmsDir, {
    ...privateArea.cms,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: '1025',
    PORT: String(cmsPort),
  })
  run('web', 'pnpm', [
    'exec',
    'nuxt',
    'dev',
    '--port',
    String(webPort),
  ], webDir, { ...privateArea.web, NUXT_CMS_URL: cmsUrl, NUXT_PUBLIC_SITE_URL: process.env.NUXT_PUBLIC_SITE_URL ?? webUrl })
}

const cmsUp = await waitFor(`${cmsUrl}/_health`, 600_000, () => stopping)
const webUp = cmsUp && (await waitFor(webUrl, 300_000, () => stopping))
if (!stopping) {
  const env = {
    ...readEnv(join(cmsDir, '.env')),
    ...process.env,
  }
  const login = !built && env.ADMIN_EMAIL && env.ADMIN_PASSWORD
    ? `${env.ADMIN_EMAIL} / ${env.ADMIN_PASSWORD}; from cms/.env`
    : 'the first visitor of /admin registers the first admin'
  const member = !built && env.DEMO_MEMBER_EMAIL && env.DEMO_MEMBER_PASSWORD
    ? `\n    Private Area ${webUrl}/private-area   (demo member: ${env.DEMO_MEMBER_EMAIL} / ${env.DEMO_MEMBER_PASSWORD})`
    : ''
  console.log(`
  ISECG platform is ${cmsUp && webUp
    ? 'running'
    : 'starting (a part did not answer yet)'}
    Site         ${webUrl}
    CMS admin    ${cmsUrl}/admin   (login: ${login})${member}
    Content API  ${cmsUrl}/api/member-agencies
    Mail inbox   ${built
      ? '(none: `pnpm dev` runs MailDev)'
      : `${inboxUrl}   (every mail the CMS sends: invitations, password resets, subscription confirmations, news mails)`}
  Ctrl-C stops them all.
`)
}
