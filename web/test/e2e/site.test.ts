import type { Browser, Page } from 'playwright-core'
import type { CmsInstance } from '../../../cms/tests/harness'
import type { CspWatch } from '../support/browser'
import type { SiteInstance } from '../support/site'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startCms } from '../../../cms/tests/harness'
import { launchBrowser, watchCsp } from '../support/browser'
import { startSite } from '../support/site'
import { createXssArticle } from '../support/xss'

let cms: CmsInstance
let site: SiteInstance
let browser: Browser
let page: Page
let pageErrors: string[]
let csp: CspWatch

beforeAll(async () => {
  cms = await startCms()
  site = await startSite({ cmsUrl: cms.url })
  browser = await launchBrowser()
})

beforeEach(async () => {
  page = await browser.newPage({
    viewport: { width: 1280, height: 900 },
  })
  pageErrors = []
  page.on('pageerror', error => pageErrors.push(error.message))
  // Every page runs with the site's CSP on; any violation, or a page served without one, fails the test.
  csp = await watchCsp(page, site.url)
})

afterEach(async () => {
  await page.close()
  expect(csp.violations, 'CSP violations').toEqual([])
  expect(csp.documentsWithoutCsp, 'pages without a CSP').toEqual([])
})

afterAll(async () => {
  await browser?.close()
  await site?.stop()
  await cms?.stop()
})

const heading = (p: Page) => p.locator('h1').first().innerText()

describe('navigation', () => {
  it('reaches every section from the main navigation', async () => {
    await page.goto(`${site.url}/`, { waitUntil: 'networkidle' })
    expect(await heading(page)).toContain('Coordinating')
    const sections: [string, string, RegExp][] = [
      ['About ISECG', '/about', /About/],
      ['News', '/news', /^News$/],
      ['Publications', '/publications', /^Publications$/],
      ['Advanced Technology', '/advanced-technology', /Advanced Technology/],
      ['Science Perspectives', '/science-perspectives', /Science Perspectives/],
      ['Lunar Volatiles', '/lunar-volatiles', /Lunar Volatiles/],
      ['Members', '/members', /Member agencies/],
      ['FAQ', '/faq', /Frequently asked questions/],
      // a page without client scripts (route rule noScripts): loaded from the server, not the router
      ['Private Area', '/private-area', /Private Area/],
      ['Home', '/', /Coordinating/],
    ]
    const nav = page.getByRole('navigation', { name: 'Main' })
    for (const [label, path, title] of sections) {
      await nav.getByRole('link', { name: label, exact: true }).click()
      await page.waitForURL(url => new URL(url).pathname === path)
      await expect.poll(() => heading(page)).toMatch(title)
      expect(await nav.getByRole('link', { name: label, exact: true }).getAttribute('aria-current')).toBe('page')
    }
    for (const [label, path] of [
      ['Legal notice', '/legal'],
      ['Privacy', '/privacy'],
      ['Accessibility', '/accessibility'],
    ]) {
      await page.getByRole('navigation', { name: 'Footer' }).getByRole('link', { name: label }).click()
      await page.waitForURL(url => new URL(url).pathname === path)
      await expect.poll(() => heading(page)).toBe(label)
    }
    expect(pageErrors).toEqual([])
  })

  it('opens a news article and a publication from their lists', async () => {
    await page.goto(`${site.url}/news`, { waitUntil: 'networkidle' })
    const first = page.locator('main article h2 a, main article h3 a').first()
    const title = await first.innerText()
    await first.click()
    await page.waitForURL(/\/news\/[^/?]+$/)
    await expect.poll(() => heading(page)).toBe(title)

    await page.goto(`${site.url}/publications/global-exploration-roadmap-2018`, { waitUntil: 'networkidle' })
    await page.getByRole('note').getByRole('link').click()
    await page.waitForURL(/global-exploration-roadmap-2024$/)
    await expect.poll(() => heading(page)).toContain('Global Exploration Roadmap')
  })

  it('lets keyboard users skip to the content, and gives the mobile menu a working toggle', async () => {
    await page.goto(`${site.url}/members`, { waitUntil: 'networkidle' })
    await page.keyboard.press('Tab')
    const skip = page.getByRole('link', { name: 'Skip to main content' })
    await expect.poll(() => skip.evaluate(el => el === document.activeElement)).toBe(true)
    await page.keyboard.press('Enter')
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('main')

    await page.setViewportSize({ width: 390, height: 844 })
    const toggle = page.getByRole('button', { name: 'Menu' })
    const nav = page.getByRole('navigation', { name: 'Main' })
    expect(await nav.isVisible()).toBe(false)
    await toggle.focus()
    await page.keyboard.press('Enter')
    expect(await page.getByRole('button', { name: 'Close' }).getAttribute('aria-expanded')).toBe('true')
    expect(await nav.isVisible()).toBe(true)
    await nav.getByRole('link', { name: 'FAQ' }).click()
    await page.waitForURL(/\/faq$/)
    await expect.poll(() => nav.isVisible()).toBe(false)
  })
  it('serves Home, News and Publications without client scripts, with a mobile menu that still opens and closes', async () => {
    await page.setViewportSize({ width: 390, height: 844 })
    for (const path of ['/', '/news', '/publications']) {
      await page.goto(`${site.url}${path}`, { waitUntil: 'networkidle' })
      expect(await page.locator('script:not([type="application/ld+json"])').count(), path).toBe(0)
      const nav = page.getByRole('navigation', { name: 'Main' })
      expect(await nav.isVisible(), path).toBe(false)
      await page.getByRole('link', { name: 'Menu' }).click()
      expect(await nav.isVisible(), path).toBe(true)
      await nav.getByRole('link', { name: 'Close menu' }).click()
      expect(await nav.isVisible(), path).toBe(false)
    }
    expect(pageErrors).toEqual([])
  })
})

describe('news', () => {
  it('paginates with ?page=N', async () => {
    await page.goto(`${site.url}/news`, { waitUntil: 'networkidle' })
    const titles = () => page.locator('main article h3').allInnerTexts()
    const firstPage = await titles()
    expect(firstPage.length).toBeGreaterThan(0)
    await page.getByRole('link', { name: /Older/ }).click()
    await page.waitForURL(/\/news\?page=2$/)
    await expect.poll(titles).not.toEqual(firstPage)
    const secondPage = await titles()
    expect(secondPage.filter(t => firstPage.includes(t))).toEqual([])
    expect(await page.locator('.pagination [aria-current="page"]').allInnerTexts()).toEqual([
      expect.stringContaining('2'),
    ])

    const direct = await page.goto(`${site.url}/news?page=2`, { waitUntil: 'networkidle' })
    expect(direct?.status()).toBe(200)
    expect(await titles()).toEqual(secondPage)
  })
})

describe('publications library', () => {
  it('filters by kind and year, searches text, and offers downloads', async () => {
    await page.goto(`${site.url}/publications`, { waitUntil: 'networkidle' })
    const cards = page.locator('main article.publication-card')
    const total = await cards.count()
    expect(total).toBeGreaterThan(3)

    await page.getByLabel('Type').selectOption('roadmap')
    await page.getByRole('button', { name: 'Apply filters' }).click()
    await page.waitForURL(/kind=roadmap/)
    await expect.poll(() => cards.count()).toBeLessThan(total)
    expect(await cards.count()).toBeGreaterThan(0)
    const kinds = await page.locator('main article.publication-card .tag').first().allInnerTexts()
    expect(kinds.every(k => k === 'Roadmap')).toBe(true)
    for (const tags of await cards.locator('.publication-card__meta .tag').allInnerTexts()) expect(tags).toBe('Roadmap')
    expect(await page.getByRole('status').innerText()).toMatch(/(?:match|matches) your filters/)

    await page.getByLabel('Year').selectOption('2018')
    await page.getByRole('button', { name: 'Apply filters' }).click()
    await page.waitForURL(/year=2018/)
    await expect.poll(() => cards.count()).toBe(1)
    expect(await cards.first().innerText()).toContain('3rd edition')
    expect(await cards.first().innerText()).toContain('Superseded')

    await page.getByRole('link', { name: 'Clear' }).click()
    await page.waitForURL(url => new URL(url).search === '')
    await page.getByLabel('Search').fill('supplement')
    await page.keyboard.press('Enter')
    await page.waitForURL(/q=supplement/)
    await expect.poll(() => cards.count()).toBeGreaterThan(0)
    for (const text of await cards.allInnerTexts()) expect(text.toLowerCase()).toContain('supplement')

    const download = cards.first().locator('a.download')
    const href = await download.getAttribute('href')
    expect(href).toMatch(/^\/uploads\//)
    const file = await page.request.get(`${site.url}${href}`)
    expect(file.status()).toBe(200)
    expect(pageErrors).toEqual([])
  })

  it('works as a plain form without JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false })
    const noJs = await context.newPage()
    const noJsCsp = await watchCsp(noJs, site.url)
    await noJs.goto(`${site.url}/publications`, { waitUntil: 'networkidle' })
    await noJs.getByLabel('Type').selectOption('report')
    await noJs.getByRole('button', { name: 'Apply filters' }).click()
    await noJs.waitForURL(/kind=report/)
    // the server filtered: some results, each one a report, as many as the status line says
    const cards = noJs.locator('main article.publication-card')
    const count = await cards.count()
    expect(count).toBeGreaterThan(0)
    expect(await cards.locator('.publication-card__meta .tag').allInnerTexts()).toEqual(Array.from({ length: count }).fill('Report'))
    expect(await noJs.getByRole('status').innerText()).toContain(`${count} publication`)
    const reports = await (await fetch(`${site.url}/api/publications?kind=report`)).json() as { items: { slug: string }[] }
    expect(count).toBe(reports.items.length)
    await context.close()
    expect(noJsCsp).toEqual({ violations: [], documentsWithoutCsp: [] })
  })
})

describe('fAQ', () => {
  it('deep-links to a question by its id', async () => {
    await page.goto(`${site.url}/faq`, { waitUntil: 'networkidle' })
    const anchor = page.locator('main .faq__anchor').nth(2)
    const href = (await anchor.getAttribute('href'))!
    const question = await anchor.innerText()
    expect(href).toMatch(/^#[\w-]+$/)

    // Open the link as a visitor following it from elsewhere would.
    await page.goto('about:blank')
    await page.setViewportSize({ width: 1280, height: 700 })
    await page.goto(`${site.url}/faq${href}`, { waitUntil: 'networkidle' })
    const target = page.locator(href)
    expect(await target.locator('h3').innerText()).toBe(question)
    await expect.poll(() => page.evaluate(() => document.querySelector(':target')?.id)).toBe(href.slice(1))
    await expect.poll(() => target.evaluate((el) => {
      const box = el.getBoundingClientRect()
      return { top: box.top, inView: box.top >= 0 && box.top < window.innerHeight, scrollY: window.scrollY }
    })).toMatchObject({ inView: true })
  })
})

describe('errors', () => {
  it('answers 404 with the branded page for unknown pages and slugs', async () => {
    for (const path of ['/this-does-not-exist', '/news/no-such-article', '/publications/no-such-publication']) {
      const response = await page.goto(`${site.url}${path}`, { waitUntil: 'networkidle' })
      expect(response?.status()).toBe(404)
      expect(await heading(page)).toBe('Page not found')
      expect(await page.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(true)
    }
  })
})

describe('content security policy', () => {
  it('runs the page\'s own inline scripts and hydrates under the CSP, and blocks any other inline script', async () => {
    const response = await page.goto(`${site.url}/members`, { waitUntil: 'networkidle' })
    expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self' 'sha256-/)
    // the hashed inline scripts ran (the `js` class switch; the import map and runtime config, without
    // which the app would not start), and the app hydrated: client-side navigation, no page load
    expect(await page.evaluate(() => document.documentElement.classList.contains('js'))).toBe(true)
    expect(await page.evaluate(() => Boolean((document.querySelector('#__nuxt') as { __vue_app__?: unknown } | null)?.__vue_app__))).toBe(true)
    await page.evaluate(() => {
      (window as unknown as { __sameDocument: boolean }).__sameDocument = true
    })
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'FAQ', exact: true }).click()
    await page.waitForURL(/\/faq$/)
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true)

    // An inline script the page did not ship (as injected markup would be) is refused.
    const ran = await page.evaluate(async () => {
      const script = document.createElement('script')
      script.textContent = 'window.__injected = true'
      document.head.append(script)
      await new Promise(resolve => setTimeout(resolve, 100))
      return (window as unknown as { __injected?: boolean }).__injected ?? false
    })
    expect(ran).toBe(false)
    // reported both as a securitypolicyviolation event and on the console; nothing else was
    await expect.poll(() => csp.violations.filter(report => /^script-src(?:-elem)? blocked inline/.test(report)).length).toBe(1)
    expect(csp.violations.filter(report => !/^script-src(?:-elem)? blocked inline|^console: Executing inline script violates/.test(report))).toEqual([])
    csp.violations.length = 0 // expected here: not a failure of this test
  })

  it('renders the legal pages after client-side navigation, which queries their content in WebAssembly', async () => {
    // The footer is never hydrated, so its links load pages; the router can still reach them (this
    // is why the CSP allows 'wasm-unsafe-eval': @nuxt/content's client queries run in SQLite/WASM).
    await page.goto(`${site.url}/about`, { waitUntil: 'networkidle' })
    await page.evaluate(() => {
      (window as unknown as { __sameDocument: boolean }).__sameDocument = true
      const app = (document.querySelector('#__nuxt') as unknown as { __vue_app__: { config: { globalProperties: { $router: { push: (to: string) => Promise<unknown> } } } } }).__vue_app__
      void app.config.globalProperties.$router.push('/privacy')
    })
    await page.waitForURL(/\/privacy$/)
    // the first client-side content query loads SQLite (WASM) and the content dump: allow it time
    await expect.poll(() => heading(page), { timeout: 20_000 }).toBe('Privacy')
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true)
    expect(pageErrors).toEqual([])
  })
})

describe('security', () => {
  it('does not run script stored in a news article', async () => {
    const slug = await createXssArticle(cms)
    await site.purgeCaches() // content changed (the list below must show it)
    const dialogs: string[] = []
    page.on('dialog', async (dialog) => {
      dialogs.push(dialog.message())
      await dialog.dismiss()
    })
    const response = await page.goto(`${site.url}/news/${slug}`, { waitUntil: 'networkidle' })
    expect(response?.status()).toBe(200)
    await page.waitForLoadState('networkidle')
    expect(await page.locator('main').innerText()).toContain('Routine meeting report.')

    // Hover and click everything the payload could have turned into a trigger.
    await page.getByText('Hover me').hover()
    const link = page.getByText('Open the minutes')
    expect(await link.getAttribute('href')).toBeNull()
    await link.click()
    expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss)).toBeUndefined()
    expect(await page.locator('main script, main iframe, main svg [onload], main [onerror], main [onmouseover]').count()).toBe(0)
    expect(dialogs).toEqual([])

    // And the same after client-side navigation (the list, then the article, come from the JSON API).
    await page.getByRole('link', { name: '← All news' }).click()
    await page.waitForURL(/\/news$/)
    await page.getByRole('link', { name: 'Plenary meeting report (XSS test)' }).click()
    await page.waitForURL(new RegExp(`/news/${slug}$`))
    await expect.poll(() => page.locator('main').innerText()).toContain('Routine meeting report.')
    expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss)).toBeUndefined()
    expect(dialogs).toEqual([])
  })
})
