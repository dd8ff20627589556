// A CMS instance in a process of its own for the benchmarks (cms/scripts/instance.cjs): the
// compiled app (cms/dist, compiled here when asked) in production mode with fresh secrets, and its
// request/answer channel over IPC. Used by scripts/bench-mail.mjs and scripts/bench-publish.mjs.
import { fork, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const cmsDir = join(root, 'cms')

/** Compiles the CMS (cms/dist) the way `strapi build` does for the server code. */
export function compileCms(label) {
  console.log(`${label}: compiling the CMS (cms/dist)…`)
  const result = spawnSync(process.execPath, ['-e', `require('@strapi/strapi').compileStrapi({ appDir: ${JSON.stringify(cmsDir)} }).then(() => process.exit(0), (e) => { console.error(e); process.exit(1) })`], {
    cwd: cmsDir,
    stdio: 'inherit',
  })
  if (result.status !== 0)
    throw new Error('the CMS did not compile')
}

/** A forked process with request/answer over IPC: call(cmd, params) resolves with its answer. */
export function ipc(child) {
  let next = 0
  const waiting = new Map()
  child.on('message', (message) => {
    const done = waiting.get(message?.id)
    if (!done)
      return
    waiting.delete(message.id)
    if (message.error)
      done.reject(new Error(message.error))
    else
      done.resolve(message.result)
  })
  return (cmd, params = {}) => new Promise((resolve, reject) => {
    const id = ++next
    waiting.set(id, { resolve, reject })
    child.send({ id, cmd, ...params })
  })
}

const secret = () => randomBytes(24).toString('base64')

/**
 * Starts cms/scripts/instance.cjs with `env` over production defaults and fresh secrets; resolves
 * once it printed "ready", with the child, its IPC call() and stop().
 */
export async function startCmsInstance(env) {
  const cms = fork(join(cmsDir, 'scripts/instance.cjs'), [], {
    cwd: cmsDir,
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      STRAPI_TELEMETRY_DISABLED: 'true',
      APP_KEYS: `${secret()},${secret()}`,
      API_TOKEN_SALT: secret(),
      ADMIN_JWT_SECRET: secret(),
      TRANSFER_TOKEN_SALT: secret(),
      JWT_SECRET: secret(),
      ENCRYPTION_KEY: secret(),
      SITE_API_KEY: randomBytes(32).toString('base64url'),
      ...env,
    },
  })
  await new Promise((resolve, reject) => {
    cms.stdout.on('data', (chunk) => {
      if (String(chunk).includes('ready'))
        resolve()
      else
        process.stdout.write(chunk)
    })
    cms.once('exit', code => reject(new Error(`the CMS exited (${code})`)))
  })
  return {
    child: cms,
    call: ipc(cms),
    async stop() {
      cms.kill('SIGTERM')
      await new Promise(resolve => cms.exitCode === null
        ? cms.once('exit', resolve)
        : resolve())
    },
  }
}
