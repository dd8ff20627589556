import type { Browser, Page } from 'playwright-core'
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

export interface CspWatch {
  /** CSP (and Permissions-Policy) violations reported by the page or printed to its console. */
  violations: string[]
  /** Pages of the site that were loaded without a Content-Security-Policy header. */
  documentsWithoutCsp: string[]
}

/**
 * Records every Content Security Policy violation of a page (the `securitypolicyviolation` event,
 * reported from an init script through a binding, and Chromium's "Refused to ..." console messages)
 * and every page of the site loaded without a CSP, so that a test can fail on them. The page keeps
 * its CSP on: playwright's bypassCSP stays off.
 */
export async function watchCsp(page: Page, siteUrl: string): Promise<CspWatch> {
  const watch: CspWatch = { violations: [], documentsWithoutCsp: [] }
  await page.exposeBinding('__reportCspViolation', (_source, report: string) => {
    watch.violations.push(report)
  })
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { __reportCspViolation: (report: string) => void }).__reportCspViolation
      report(`${event.effectiveDirective} blocked ${event.blockedURI || 'inline code'} on ${event.documentURI}${event.sample
        ? `: ${event.sample}`
        : ''}`)
    })
  })
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to|Permissions-Policy/i.test(message.text()))
      watch.violations.push(`console: ${message.text()}`)
  })
  page.on('response', (response) => {
    const request = response.request()
    if (request.resourceType() === 'document' && response.url().startsWith(siteUrl) && !response.headers()['content-security-policy']) {
      watch.documentsWithoutCsp.push(response.url())
    }
  })
  return watch
}
