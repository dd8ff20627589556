// Builds the site (`nuxt build`) unless web/.output is newer than every source it is built from.
// Used before the server and browser tests, which run the built site as it would be deployed.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const entry = join(root, 'web/.output/server/index.mjs')
const sources = [
  'web/app',
  'web/server',
  'web/content',
  'web/public',
  'web/shared',
  'web/nuxt.config.ts',
  'web/content.config.ts',
  'web/package.json',
  'shared/src',
  'pnpm-lock.yaml',
]

function newest(path) {
  if (!existsSync(path))
    return 0
  const stat = statSync(path)
  if (!stat.isDirectory())
    return stat.mtimeMs
  return readdirSync(path).reduce((max, name) => Math.max(max, newest(join(path, name))), stat.mtimeMs)
}

const built = existsSync(entry)
  ? statSync(entry).mtimeMs
  : 0
const changed = Math.max(...sources.map(source => newest(join(root, source))))
if (built > changed && !process.argv.includes('--force')) {
  console.log('web: build is up to date')
}
else {
  console.log('web: building the site (nuxt build)')
  const result = spawnSync('pnpm', ['--filter', 'web', 'build'], { cwd: root, stdio: 'inherit' })
  process.exit(result.status ?? 1)
}
