// Checks that the site has been built (`pnpm --filter web build`) before the server and e2e tests
// start it. The tests never build it themselves, so that they always run what would be deployed.
import { existsSync, statSync } from 'node:fs'
import { serverEntry } from './paths'

export default function setup() {
  if (!existsSync(serverEntry)) {
    throw new Error(`The site is not built: ${serverEntry} is missing. Run \`pnpm --filter web build\` first.`)
  }
  const ageMinutes = (Date.now() - statSync(serverEntry).mtimeMs) / 60_000
  if (ageMinutes > 60)
    console.warn(`[web tests] using a build from ${Math.round(ageMinutes)} minutes ago (${serverEntry})`)
}
