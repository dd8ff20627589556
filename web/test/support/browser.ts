import type { Browser } from 'playwright-core'
import { createRequire } from 'node:module'
import { webDir } from './paths'

const require = createRequire(`${webDir}/package.json`)

/** Launches the system Chromium (CHROMIUM_PATH, default /usr/bin/chromium) headless. */
export async function launchBrowser(): Promise<Browser> {
  const { chromium } = require('playwright-core') as typeof import('playwright-core')
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  })
}
