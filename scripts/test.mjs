// `npm test` / `pnpm test`: the whole test suite, as CI runs it (run through scripts/bootstrap.mjs,
// which has made Node, pnpm and the dependencies ready).
//   1. system packages the tests use: Debian's chromium (browser tests), a Java runtime (the W3C Nu
//      HTML Checker in the site's server tests) and postgresql (production database tests),
//      installed with apt-get when missing and this runs as root;
//   2. a throwaway PostgreSQL server (scripts/pg-test-server.sh) unless TEST_POSTGRES_URL is set;
//   3. pnpm lint, pnpm typecheck, the OpenAPI reference's drift check (scripts/openapi.mjs --check);
//   4. vitest: shared, CMS (SQLite and PostgreSQL), site unit and server tests; then the browser tests.
// Outside CI, a part whose system package cannot be installed is skipped with a warning; under CI
// (CI=true) it is a failure.
//
// Flags: --e2e-only (browser tests only), --no-static (skip lint and typecheck).
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromiumPath } from './lib/chromium.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const ci = Boolean(process.env.CI && process.env.CI !== 'false')
const e2eOnly = process.argv.includes('--e2e-only')
const noStatic = process.argv.includes('--no-static') || e2eOnly
const started = Date.now()

const step = title => console.log(`\n== ${title} (${Math.round((Date.now() - started) / 1000)}s)`)
function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options })
  return result.status === 0
}
function must(command, args, options) {
  if (!run(command, args, options)) {
    console.error(`test: \`${[command, ...args].join(' ')}\` failed`)
    cleanup()
    process.exit(1)
  }
}

const hasChromium = () => existsSync(chromiumPath)
const hasJava = () => spawnSync(process.env.JAVA || 'java', ['-version'], { stdio: 'ignore' }).status === 0
const hasPostgres = () => existsSync('/usr/lib/postgresql') && readdirSync('/usr/lib/postgresql').some(v => existsSync(`/usr/lib/postgresql/${v}/bin/pg_ctl`))

function installSystemPackages() {
  const missing = []
  if (!hasChromium())
    missing.push('chromium', 'fonts-dejavu-core')
  if (!e2eOnly && !hasJava())
    missing.push('default-jre-headless')
  if (!e2eOnly && !process.env.TEST_POSTGRES_URL && !hasPostgres())
    missing.push('postgresql')
  if (missing.length === 0)
    return
  const isRoot = process.getuid?.() === 0
  const apt = run('sh', ['-c', 'command -v apt-get >/dev/null'])
  if (!isRoot || !apt) {
    console.warn(`test: missing system packages (${missing.join(', ')}); install them with: sudo apt-get install -y ${missing.join(' ')}`)
    return
  }
  step(`system packages: ${missing.join(', ')}`)
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  must('apt-get', ['update', '-qq'], { env })
  // the JRE's post-install step links its man page there, and slim images do not have the folder
  if (missing.includes('default-jre-headless'))
    mkdirSync('/usr/share/man/man1', { recursive: true })
  must('apt-get', [
    'install',
    '-y',
    '-qq',
    '--no-install-recommends',
    ...missing,
  ], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  })
}

let startedPostgres = false
function cleanup() {
  if (startedPostgres)
    spawnSync('bash', ['scripts/pg-test-server.sh', 'stop'], { cwd: root, stdio: 'ignore' })
}
process.on('SIGINT', () => {
  cleanup()
  process.exit(130)
})

step('system packages')
installSystemPackages()

const env = { ...process.env }
if (!e2eOnly && !env.TEST_POSTGRES_URL) {
  if (hasPostgres()) {
    step('PostgreSQL test server')
    const result = spawnSync('bash', ['scripts/pg-test-server.sh'], { cwd: root, encoding: 'utf8' })
    const url = result.stdout.match(/TEST_POSTGRES_URL=(\S+)/)?.[1]
    if (result.status !== 0 || !url) {
      console.error(`test: the PostgreSQL test server did not start\n${result.stderr}`)
      process.exit(1)
    }
    env.TEST_POSTGRES_URL = url
    startedPostgres = true
  }
  else if (ci) {
    console.error('test: PostgreSQL is not installed; CI must run the production database tests')
    process.exit(1)
  }
  else {
    console.warn('test: PostgreSQL is not installed: the PostgreSQL tests are skipped')
  }
}

if (!noStatic) {
  const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  if (scripts.lint) {
    step('pnpm lint')
    must('pnpm', ['lint'], { env })
  }
  step('pnpm typecheck')
  must('pnpm', ['typecheck'], { env })
  // the committed OpenAPI reference is what the CMS schemas give (scripts/openapi.mjs)
  step('OpenAPI reference up to date')
  must('node', ['scripts/openapi.mjs', '--check'], { env })
}

step('site build (when its sources changed)')
must('node', ['scripts/ensure-web-build.mjs'], { env })

if (!e2eOnly) {
  step('vitest: shared, cms, web-unit, web-server')
  must('pnpm', ['exec', 'vitest', 'run'], { env })
}

if (hasChromium()) {
  step('vitest: e2e (Chromium)')
  must('pnpm', [
    'exec',
    'vitest',
    'run',
    '--project',
    'e2e',
  ], { env })
}
else if (ci) {
  console.error(`test: Chromium is not installed at ${chromiumPath}; CI must run the browser tests`)
  cleanup()
  process.exit(1)
}
else {
  console.warn(`test: Chromium is not installed at ${chromiumPath}: the browser tests are skipped`)
}

cleanup()
step('all tests passed')
