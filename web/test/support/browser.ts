import type { Browser } from 'playwright-core'
import { createRequire } from 'node:module'
import { chromiumFlags, chromiumPath } from '../../../scripts/lib/chromium.mjs'
import { webDir } from './paths'

const require = createRequire(`${webDir}/package.json`)

/** Launches the system Chromium headless (scripts/lib/chromium.mjs: CHROMIUM_PATH, default /usr/bin/chromium). */
export async function launchBrowser(): Promise<Browser> {
  const { chromium } = require('playwright-core') as typeof import('playwright-core')
  return chromium.launch({
    executablePath: chromiumPath,
    args: [...chromiumFlags],
  })
}
