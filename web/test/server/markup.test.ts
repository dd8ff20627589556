import type { CmsInstance } from '../../../cms/tests/harness'
import type { CmsProxy } from '../support/cms-proxy'
import type { SiteInstance } from '../support/site'
/**
 * Valid HTML, as the W3C Nu HTML Checker (vnu.jar) sees it: the HTML the built site serves for
 * every section (test/support/sections.ts), and its branded 503 page, checked in one run of the
 * checker, with zero errors allowed. Needs Java 11+ (`java` on PATH, or JAVA).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCms } from '../../../cms/tests/harness'
import { startCmsProxy } from '../support/cms-proxy'
import { pageFilesWithoutSection, SECTIONS } from '../support/sections'
import { startSite } from '../support/site'
import { checkHtml, formatVnuMessage, javaAvailable } from '../support/vnu'

// Without Java the checker cannot run: skipped with a warning on a developer's machine, a failure
// under CI (scripts/test.mjs installs Java there).
const ci = Boolean(process.env.CI && process.env.CI !== 'false')
const skip = !javaAvailable() && !ci
if (skip)
  console.warn('markup tests skipped: no Java runtime (install default-jre-headless, or set JAVA)')

let cms: CmsInstance
let proxy: CmsProxy
let site: SiteInstance

async function html(path: string) {
  const response = await fetch(`${site.url}${path}`, {
    headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
  })
  return { status: response.status, html: await response.text() }
}

describe('sections', () => {
  it('lists a URL for every page of the site', () => {
    expect(pageFilesWithoutSection()).toEqual([])
  })
})

describe.skipIf(skip)('markup', () => {
  beforeAll(async () => {
    cms = await startCms()
    proxy = await startCmsProxy(cms.url)
    site = await startSite({ cmsUrl: proxy.url, siteKey: cms.siteKey })
  })

  afterAll(async () => {
    await site?.stop()
    await proxy?.stop()
    await cms?.stop()
  })

  it('serves valid HTML on every section, the 404 and the 503 pages (Nu HTML Checker, no errors)', async () => {
    const documents: { name: string, html: string }[] = []
    for (const section of SECTIONS) {
      const page = await html(section.path)
      expect(page.status, section.path).toBe(section.status)
      documents.push({ name: section.name, html: page.html })
    }
    proxy.available = false
    try {
      const unavailable = await html('/publications?q=markup-check-503')
      expect(unavailable.status).toBe(503)
      documents.push({ name: 'service-unavailable', html: unavailable.html })
    }
    finally {
      proxy.available = true
    }

    const errors = await checkHtml(documents)
    expect(errors.map(formatVnuMessage)).toEqual([])
  })

  it('reports invalid markup, by document (the checker is really running)', async () => {
    const errors = await checkHtml([
      { name: 'valid', html: '<!doctype html><html lang="en"><title>x</title><p>x</p></html>' },
      { name: 'broken', html: '<!doctype html><html lang="en"><title>x</title><link rel="prefetch" as="script" href="/x.js"><p style="colour: red">x</p><h1>a</h1><h3>b</h3></html>' },
    ])
    expect(errors.map(error => `${error.document}: ${error.message}`)).toEqual([
      expect.stringMatching(/^broken: A “link” element with an “as” attribute must have a “rel” attribute that contains the value “preload”/),
      expect.stringMatching(/^broken: CSS: “colour”: Property “colour” doesn't exist/),
      expect.stringMatching(/^broken: The heading “h3” .* follows the heading “h1” .* skipping 1 heading level/),
    ])
  })
})
