import type { Browser, Page } from 'playwright-core'
import type { CmsInstance } from '../../../cms/tests/harness'
import type { Mailbox } from '../../../cms/tests/support/mailbox'
import type { SiteInstance } from '../support/site'
/**
 * News subscriptions in Chromium (docs/notifications.md "Site"): from the header's button to the
 * form, the confirmation mail (a real SMTP server) and its link, to the preferences page, with
 * JavaScript and without. Screenshots of the pages at 1280 and 390 px go to /tmp/shots/ (not
 * committed), for review.
 */
import { mkdirSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCms } from '../../../cms/tests/harness'
import { startMailbox } from '../../../cms/tests/support/mailbox'
import { launchBrowser } from '../support/browser'
import { freePort, startSite } from '../support/site'

const SHOTS = '/tmp/shots'

let mailbox: Mailbox
let cms: CmsInstance
let site: SiteInstance
let browser: Browser

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  mailbox = await startMailbox()
  const port = await freePort()
  cms = await startCms({
    env: {
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(mailbox.port),
      SITE_URL: `http://127.0.0.1:${port}`,
    },
  })
  site = await startSite({ cmsUrl: cms.url, port, siteKey: cms.siteKey })
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await site?.stop()
  await cms?.stop()
  await mailbox?.close()
})

async function screenshots(page: Page, name: string) {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 })
    await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true })
  }
  await page.setViewportSize({ width: 1280, height: 900 })
}

async function subscriptionOf(email: string): Promise<string | undefined> {
  const row = await cms.strapi.db.query('api::subscriber.subscriber').findOne({
    where: { email },
  }) as { subscription: string } | null
  return row?.subscription
}

/** The confirmation link of the latest mail to `email`. */
async function confirmationLink(email: string): Promise<string> {
  const item = await mailbox.waitFor(email)
  const match = /(https?:\/\/\S+\/subscribe\/confirm\/[\w-]+)/.exec(item.mail.text ?? '')
  if (!match)
    throw new Error(`no confirmation link in "${item.mail.subject}"`)
  return match[1]!
}

describe.each([
  { javaScript: true, email: 'mae.jemison@nasa.example' },
  { javaScript: false, email: 'helen.sharman@ukspace.example' },
])('subscribing in the browser (JavaScript $javaScript)', ({ javaScript, email }) => {
  it('goes from the header to the form, shows the errors, then subscribes and confirms through the link in the mail', async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      javaScriptEnabled: javaScript,
    })
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', error => errors.push(error.message))
    try {
      await page.goto(`${site.url}/news`, { waitUntil: 'networkidle' })
      const header = page.getByRole('banner')
      expect(await header.getByRole('link', { name: 'RSS feed of ISECG news' }).getAttribute('href')).toBe('/feed.xml')
      await header.getByRole('link', { name: 'Subscribe to news notifications' }).click()
      await page.waitForURL(`${site.url}/subscribe`)
      expect(await page.locator('h1').innerText()).toBe('Subscribe to news notifications')
      expect(await page.locator('script').count()).toBe(0)
      if (javaScript)
        await screenshots(page, 'subscribe')

      // nothing chosen: the error summary, focused, linked to the fields
      await page.getByLabel('Email address').fill(email)
      await page.getByRole('button', { name: 'Subscribe' }).click()
      await page.waitForURL(`${site.url}/subscribe`)
      const summary = page.getByRole('alert')
      expect(await summary.innerText()).toContain('Tick the box to agree to receive these mails')
      expect(await summary.getByRole('link').evaluateAll(links => links.map(link => link.getAttribute('href')))).toEqual(['#choice', '#consent'])
      await expect.poll(() => page.evaluate(() => document.activeElement?.className)).toBe('error-summary')
      expect(await page.getByLabel('Email address').inputValue()).toBe(email)
      expect(await page.getByRole('checkbox', { name: /I agree to receive these mails/ }).getAttribute('aria-invalid')).toBe('true')
      // the honeypot is neither reachable nor announced
      expect(await page.getByRole('textbox', { name: 'Leave this field empty' }).count()).toBe(0)
      expect(await page.locator('#homepage').isVisible()).toBe(false)
      if (javaScript)
        await screenshots(page, 'subscribe-errors')

      await page.getByRole('radio', { name: 'Only news about these topics' }).check()
      await page.getByRole('group', { name: 'Topics' }).getByRole('checkbox').first().check()
      await page.getByRole('checkbox', { name: /I agree to receive these mails/ }).check()
      await page.getByRole('button', { name: 'Subscribe' }).click()
      await page.waitForURL(`${site.url}/subscribe/check-your-email`)
      expect(await page.locator('h1').innerText()).toBe('Check your email')
      if (javaScript)
        await screenshots(page, 'check-your-email')

      await page.goto(await confirmationLink(email))
      expect(await page.locator('h1').innerText()).toBe('Confirm your subscription')
      expect(await page.locator('main').innerText()).toContain(email)
      expect(await subscriptionOf(email)).toBe('pending')
      if (javaScript)
        await screenshots(page, 'confirm')
      await page.getByRole('button', { name: 'Confirm my subscription' }).click()
      await page.waitForURL(/\/subscribe\/preferences\/[\w.-]+$/)
      expect(await page.getByRole('status').innerText()).toContain('Your subscription is confirmed')
      expect(await page.getByRole('radio', { name: 'Only news about these topics' }).isChecked()).toBe(true)
      expect(await subscriptionOf(email)).toBe('confirmed')
      if (javaScript)
        await screenshots(page, 'preferences')
      expect(errors).toEqual([])
    }
    finally {
      await context.close()
    }
  })
})

describe('the header at 390 px', () => {
  it('keeps the subscribe and RSS links visible, at least 44 px, without horizontal scrolling', async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
    })
    const page = await context.newPage()
    try {
      // a page with scripts (Menu button) and one without (Menu link)
      for (const path of ['/about', '/subscribe']) {
        await page.goto(`${site.url}${path}`, { waitUntil: 'networkidle' })
        const header = page.getByRole('banner')
        for (const name of ['Subscribe to news notifications', 'RSS feed of ISECG news', 'Menu']) {
          const link = header.getByRole('link', { name, exact: true }).or(header.getByRole('button', { name, exact: true })).filter({ visible: true })
          expect(await link.count(), `${path} ${name}`).toBe(1)
          const box = (await link.boundingBox())!
          expect(box.height, `${path} ${name}`).toBeGreaterThanOrEqual(44)
          expect(box.width, `${path} ${name}`).toBeGreaterThanOrEqual(44)
          expect(box.x + box.width, `${path} ${name}`).toBeLessThanOrEqual(390)
        }
        // the short label: the rest of the name is for screen readers only
        expect((await header.getByRole('link', { name: 'Subscribe to news notifications' }).boundingBox())!.width).toBeLessThan(140)
        expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(390)
      }
      await page.screenshot({ path: `${SHOTS}/header-390.png` })
    }
    finally {
      await context.close()
    }
  })
})
