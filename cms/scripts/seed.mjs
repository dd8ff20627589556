// `pnpm seed`: boots the app without its HTTP server and fills in missing ISECG content.
// Safe to re-run: existing entries (matched by slug or acronym) are left as they are.
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const { compileStrapi, createStrapi } = require('@strapi/strapi')

const appDir = join(dirname(fileURLToPath(import.meta.url)), '..')

process.env.SEED_ON_EMPTY = 'false'
const context = await compileStrapi({ appDir })
const app = await createStrapi(context).load()
app.log.level = 'error'
try {
  const { seed } = require(join(context.distDir, 'src', 'seed', 'index.js'))
  const report = await seed(app)
  const lines = Object.entries(report.created).map(([uid, n]) => `  ${uid}: ${n} created`)
  console.log(lines.length
    ? `seed: done\n${lines.join('\n')}`
    : 'seed: nothing to do, all ISECG content is present')
}
finally {
  await app.destroy()
}
