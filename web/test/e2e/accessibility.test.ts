/**
 * Accessibility of every section (test/support/sections.ts) and of the branded 503 page, checked
 * by axe-core in Chromium at desktop (1280 px) and mobile (390 px) widths:
 * - WCAG 2.0/2.1/2.2 A and AA rules: no serious or critical violation;
 * - headings (axe's heading-order and page-has-heading-one): one h1, no skipped level.
 * A failure lists each rule with the elements it failed on.
 */
import type { Browser } from 'playwright-core'
import type { CmsInstance } from '../../../cms/tests/harness'
import type { CmsProxy } from '../support/cms-proxy'
import type { Section } from '../support/sections'
import type { SiteInstance } from '../support/site'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCms } from '../../../cms/tests/harness'
import { blocking, formatViolation, runAxe } from '../support/axe'
import { launchBrowser } from '../support/browser'
import { startCmsProxy } from '../support/cms-proxy'
import { pageFilesWithoutSection, SECTIONS } from '../support/sections'
import { startSite } from '../support/site'

let cms: CmsInstance
let proxy: CmsProxy
let site: SiteInstance
let browser: Browser

beforeAll(async () => {
  cms = await startCms()
  proxy = await startCmsProxy(cms.url)
  site = await startSite({ cmsUrl: proxy.url, siteKey: cms.siteKey })
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await site?.stop()
  await proxy?.stop()
  await cms?.stop()
})

const WIDTHS = [1280, 390] as const
const unavailable: Section = { name: 'service-unavailable', path: '/publications?q=axe-check-503', status: 503 }

async function audit(section: Section, width: number) {
  const page = await browser.newPage({
    viewport: { width, height: 900 },
  })
  try {
    const response = await page.goto(`${site.url}${section.path}`, { waitUntil: 'networkidle' })
    expect(response?.status(), section.path).toBe(section.status)
    const wcag = await runAxe(page)
    const headings = await runAxe(page, {
      runOnly: {
        type: 'rule',
        values: ['heading-order', 'page-has-heading-one'],
      },
    })
    return {
      blocking: wcag.filter(blocking).map(formatViolation),
      headings: headings.map(formatViolation),
    }
  }
  finally {
    await page.close()
  }
}

describe('accessibility (axe-core, WCAG 2.2 A/AA)', () => {
  it('lists a URL for every page of the site', () => {
    expect(pageFilesWithoutSection()).toEqual([])
  })

  for (const width of WIDTHS) {
    describe(`at ${width} px`, () => {
      it.each(SECTIONS.map(section => [section.name, section] as const))('%s has no serious or critical violation and well-ordered headings', async (_, section) => {
        expect(await audit(section, width)).toEqual({ blocking: [], headings: [] })
      })

      it('the 503 page has no serious or critical violation and well-ordered headings', async () => {
        proxy.available = false
        try {
          expect(await audit(unavailable, width)).toEqual({ blocking: [], headings: [] })
        }
        finally {
          proxy.available = true
        }
      })
    })
  }

  it('reports a violation on a broken page (axe is really running)', async () => {
    const page = await browser.newPage()
    try {
      await page.setContent('<html><body><main><h1>x</h1><h3>y</h3><img src="data:,"><a href="/x" aria-label="Home">ISECG</a></main></body></html>')
      expect((await runAxe(page)).filter(blocking).map(v => v.id)).toEqual(expect.arrayContaining(['image-alt', 'label-content-name-mismatch', 'html-has-lang']))
      expect((await runAxe(page, {
        runOnly: {
          type: 'rule',
          values: ['heading-order'],
        },
      })).map(v => v.id)).toEqual(['heading-order'])
    }
    finally {
      await page.close()
    }
  })
})
