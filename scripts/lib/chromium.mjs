/**
 * The Chromium that browser tests, screenshots and Lighthouse use, and how it is started: one
 * variable, CHROMIUM_PATH (default /usr/bin/chromium, Debian's package), and one set of flags.
 * Used by web/test/support/browser.ts, scripts/screenshots.mjs, scripts/lighthouse.mjs and
 * scripts/test.mjs (which checks that it is installed).
 *
 *   import { launchChromium } from './lib/chromium.mjs';
 *   const browser = await launchChromium();   // playwright-core Browser
 */
import { createRequire } from 'node:module'

export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium'

/**
 * Headless (Chromium's current headless mode), no sandbox (containers and CI run as root), no GPU,
 * and nothing that would call home or update itself during a run.
 */
export const chromiumFlags = Object.freeze([
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
])

/** Starts the Chromium above through playwright-core (a dependency of web/). */
export async function launchChromium(options = {}) {
  const require = createRequire(new URL('../../web/package.json', import.meta.url))
  const { chromium } = require('playwright-core')
  return chromium.launch({
    ...options,
    executablePath: chromiumPath,
    args: [
      ...chromiumFlags,
      ...(options.args ?? []),
    ],
  })
}
