// Walkthrough of the preview of drafts against a running `pnpm dev` (site :3000, CMS :1337; other
// ports with SITE_URL and CMS_URL), as an editor uses it: sign in to the admin in Chromium, create a
// draft news article (through the Content Manager's API, what its Save button calls), open it in
// the Content Manager and click "Open preview": the admin frames the site's page for the draft with
// its "Preview: draft" bar. Then the same page in a tab of its own; then the editor clicks Publish
// and the article shows on its public page, the news list and Home (the content webhook), with the
// time from the click printed. Writes screenshots (1280 and 390 px) to the folder given (default
// artifacts/walkthrough).
// Usage: node scripts/walk-preview.mjs [outDir]   (admin login from cms/.env)
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { launchChromium } from './lib/chromium.mjs'

const site = (process.env.SITE_URL ?? 'http://localhost:3000').replace(/\/+$/, '')
const cms = (process.env.CMS_URL ?? 'http://localhost:1337').replace(/\/+$/, '')
const out = process.argv[2] ?? 'artifacts/walkthrough'
mkdirSync(out, { recursive: true })
const env = Object.fromEntries(readFileSync(new URL('../cms/.env', import.meta.url), 'utf8').split('\n')
  .map(line => /^(\w+)=(.*)$/.exec(line)).filter(Boolean).map(m => [
    m[1],
    m[2].replace(/^"|"$/g, ''),
  ]))

/** Closes what the admin puts over a first visit: its "what's new" banner and the guided tour. */
async function dismissOverlays(page) {
  for (const name of [/^close the banner/i, /close guided tour/i, /^skip the tour/i]) {
    const button = page.getByRole('button', { name }).first()
    if (await button.isVisible().catch(() => false)) {
      await button.click().catch(() => {})
      await page.waitForTimeout(300)
    }
  }
}

async function shoot(page, name, { fullPage = true, widths = [1280, 390] } = {}) {
  for (const width of widths) {
    await page.setViewportSize({ width, height: 900 })
    await page.waitForTimeout(800)
    await page.screenshot({
      path: join(out, `${name}-${width}.png`),
      fullPage,
    })
  }
}

// the draft, through the Content Manager's API with the admin's token
const login = await (await fetch(`${cms}/admin/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD }),
})).json()
if (!login.data?.token)
  throw new Error(`admin login failed (${JSON.stringify(login.error ?? login)}); the admin allows 5 attempts in 5 minutes`)
const auth = { 'authorization': `Bearer ${login.data.token}`, 'content-type': 'application/json' }
const uid = 'api::news-article.news-article'
const created = await (await fetch(`${cms}/content-manager/collection-types/${uid}`, {
  method: 'POST',
  headers: auth,
  body: JSON.stringify({
    title: 'ISECG agencies review the Global Exploration Roadmap supplement',
    slug: `draft-roadmap-review-${Date.now()}`,
    date: new Date().toISOString().slice(0, 10),
    summary: 'Not published yet: the Secretariat checks this article in the preview before publishing it.',
    body: 'Heads of agency met to review the **Global Exploration Roadmap** supplement.\n\nThis text is a draft: visitors of the site do not see it until it is published.',
    visibility: 'public',
  }),
})).json()
const documentId = created.data.documentId
console.log('draft:', created.data.title, documentId)
const previewUrl = (await (await fetch(`${cms}/content-manager/preview/url/${uid}?documentId=${documentId}&status=draft`, { headers: auth })).json()).data.url
console.log('preview URL:', previewUrl.replace(/secret=[^&]+/, 'secret=…'))
if (!previewUrl.startsWith(`${site}/`))
  console.warn(`the CMS's SITE_URL is not ${site}: the admin frames ${new URL(previewUrl).origin}`)

const browser = await launchChromium()
try {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
  })
  const page = await context.newPage()

  // the editor signs in to the admin
  await page.goto(`${cms}/admin/auth/login`)
  await page.getByLabel(/email/i).fill(env.ADMIN_EMAIL)
  await page.getByLabel(/^password/i).fill(env.ADMIN_PASSWORD)
  await page.getByRole('button', { name: /login|log in|sign in/i }).click()
  await page.waitForURL(url => !url.pathname.includes('/auth/'), { timeout: 120_000 })
  await page.waitForTimeout(1500)
  await dismissOverlays(page)

  // the draft in the Content Manager, then "Open preview"
  await page.goto(`${cms}/admin/content-manager/collection-types/${uid}/${documentId}`)
  const open = page.getByRole('link', { name: 'Open preview' })
  await open.waitFor({ timeout: 120_000 })
  await dismissOverlays(page)
  await shoot(page, 'admin-edit-view', {
    fullPage: false,
    widths: [1280],
  })
  await open.click()
  await page.waitForURL(/\/preview/)
  const frame = page.frameLocator('iframe[data-testid="preview-iframe"], iframe[title="Preview"]').first()
  await frame.getByText('Preview: draft').waitFor({ timeout: 60_000 })
  await dismissOverlays(page)
  await shoot(page, 'admin-preview', { fullPage: false })

  // the same page in a tab of its own (the admin's "Copy preview link", pasted), with its bar
  const tab = await context.newPage()
  await tab.goto(previewUrl)
  await tab.getByText('Preview: draft').waitFor()
  console.log('site page:', tab.url(), await tab.locator('h1').first().innerText())
  await shoot(tab, 'site-preview')

  // and what the public sees at that address
  const visitor = await browser.newPage()
  const path = new URL(tab.url()).pathname
  const answer = await visitor.goto(`${site}${path}`)
  console.log('public visitor at the same URL:', answer?.status())

  // the editor publishes in the Content Manager: the CMS's content webhook makes the site drop its
  // cached pages, and the article is on its page, the news list and Home at once
  await page.goto(`${cms}/admin/content-manager/collection-types/${uid}/${documentId}`)
  const publish = page.getByRole('button', { name: /^publish$/i }).first()
  await publish.waitFor({ timeout: 60_000 })
  await dismissOverlays(page)
  const clicked = Date.now()
  await publish.click()
  for (const [name, url] of [
    ['article page', `${site}${path}`],
    ['news list', `${site}/news`],
    ['home', `${site}/`],
  ]) {
    for (;;) {
      const response = await fetch(url)
      if (response.ok && (await response.text()).includes(created.data.title))
        break
      if (Date.now() - clicked > 60_000)
        throw new Error(`${url} did not show the published article within 60 s`)
      await new Promise(resolve => setTimeout(resolve, 100))
    }
    console.log(`published in the admin: the ${name} showed it ${Date.now() - clicked} ms after the click`)
  }
  await shoot(page, 'admin-published', {
    fullPage: false,
    widths: [1280],
  })
  await visitor.goto(`${site}/news`)
  await shoot(visitor, 'site-published-news')
}
finally {
  await browser.close()
}
