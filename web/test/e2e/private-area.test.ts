import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { CmsInstance } from '../../../cms/tests/harness'
import type { AdminSession } from '../../../cms/tests/support/admin'
import type { Mailbox } from '../../../cms/tests/support/mailbox'
import type { SiteInstance } from '../support/site'
/**
 * The Private Area in Chromium (docs/private-area.md): the invitation mail to the download and
 * back out, with JavaScript and without, the session cookie out of reach of scripts, and nothing
 * private left behind the back button after signing out.
 */
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { memberDocuments } from '../../../cms/src/seed/fixtures/private-area'
import { startCms } from '../../../cms/tests/harness'
import { signInAsAdmin } from '../../../cms/tests/support/admin'
import { linkIn, startMailbox } from '../../../cms/tests/support/mailbox'
import { createMember } from '../../../cms/tests/support/members'
import { launchBrowser } from '../support/browser'
import { inviteMember, storedFile } from '../support/members'
import { freePort, startSite } from '../support/site'

const PASSWORD = 'Lunar-gateway-2026'
const minutes = memberDocuments.find(d => d.kind === 'minutes')!
const presentation = memberDocuments.find(d => d.kind === 'presentation')!

let mailbox: Mailbox
let cms: CmsInstance
let site: SiteInstance
let admin: AdminSession
let browser: Browser

beforeAll(async () => {
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
  admin = await signInAsAdmin(cms)
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await site?.stop()
  await cms?.stop()
  await mailbox?.close()
})

async function withContext(options: Parameters<Browser['newContext']>[0], run: (page: Page, context: BrowserContext) => Promise<void>) {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
    ...options,
  })
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', error => errors.push(error.message))
  try {
    await run(page, context)
    expect(errors).toEqual([])
  }
  finally {
    await context.close()
  }
}

async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto(`${site.url}/private-area/sign-in`)
  await page.getByLabel('Email address').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

describe('private area in the browser', () => {
  it('follows the invitation mail to a password, reads and downloads, signs out, and shows nothing private on going back', async () => {
    const email = 'valentina.tereshkova@esa.example'
    await inviteMember(cms, admin, email, 'Valentina Tereshkova')
    const { url } = linkIn(await mailbox.waitFor(email), 'invitation')

    await withContext({}, async (page, context) => {
      // from the home page, through the main navigation
      await page.goto(`${site.url}/`, { waitUntil: 'networkidle' })
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Private Area' }).click()
      await page.waitForURL(`${site.url}/private-area`)
      expect(await page.getByRole('link', { name: 'Sign in', exact: true }).isVisible()).toBe(true)

      await page.goto(url)
      expect(await page.locator('h1').innerText()).toBe('Choose your password')
      expect(await page.getByLabel('Email address').inputValue()).toBe(email)
      await page.getByLabel('New password', { exact: true }).fill(PASSWORD)
      await page.getByLabel('Confirm the new password').fill(PASSWORD)
      await page.getByRole('button', { name: 'Set password and sign in' }).click()
      await page.waitForURL(`${site.url}/private-area`)
      expect(await page.getByRole('status').first().innerText()).toContain('Welcome to the ISECG Private Area')
      expect(await page.locator('.pa-member').innerText()).toContain('Valentina Tereshkova (ESA)')

      // the session is out of reach of scripts
      const session = (await context.cookies()).find(c => c.name === 'isecg-session')!
      expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' })
      expect(await page.evaluate(() => document.cookie)).not.toContain('isecg-session')
      expect(await page.locator('script').count()).toBe(0)

      const item = page.locator('.pa-item').filter({
        has: page.getByRole('heading', { name: minutes.title }),
      })
      const link = item.getByRole('link', { name: /Download/ })
      const href = (await link.getAttribute('href'))!
      expect(href).toMatch(/^\/private-area\/files\/\d+$/)
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        link.click(),
      ])
      const stored = await storedFile(cms, Number(href.split('/').pop()))
      expect(download.suggestedFilename()).toBe(stored.name)
      expect((await readFile((await download.path())!)).equals(stored.bytes)).toBe(true)

      await page.getByRole('button', { name: 'Sign out' }).click()
      await page.waitForURL(`${site.url}/private-area/sign-in`)
      expect(await page.getByRole('status').innerText()).toContain('You have signed out.')
      expect((await context.cookies()).some(c => c.name === 'isecg-session')).toBe(false)

      await page.goBack()
      await page.waitForURL(`${site.url}/private-area`)
      expect(await page.locator('main').innerText()).not.toContain(minutes.title)
      expect(await page.locator('main').innerText()).not.toContain('Valentina')
      // the download link now leads to the sign-in page (which would come back to it)
      await page.goto(`${site.url}${href}`)
      await page.waitForURL(`${site.url}/private-area/sign-in?next=${encodeURIComponent(href)}`)
      expect(await page.locator('h1').innerText()).toBe('Sign in')
    })
  })

  it('works with JavaScript disabled: sign in, filter the documents, download, sign out', async () => {
    const email = 'sally.ride@esa.example'
    await createMember(cms.strapi, { email, password: PASSWORD, fullName: 'Sally Ride' })
    await withContext({ javaScriptEnabled: false }, async (page, context) => {
      await page.goto(`${site.url}/private-area`)
      await page.getByRole('link', { name: 'Sign in', exact: true }).click()
      await page.waitForURL(`${site.url}/private-area/sign-in`)
      await page.getByLabel('Email address').fill(email)
      await page.getByLabel('Password').fill(PASSWORD)
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.waitForURL(`${site.url}/private-area`)
      expect(await page.locator('.pa-member').innerText()).toContain('Sally Ride')

      const titles = () => page.locator('#documents .pa-item h3').allInnerTexts()
      expect(await titles()).toContain(presentation.title)
      await page.getByLabel('Type').selectOption('minutes')
      await page.getByRole('button', { name: 'Apply filters' }).click()
      await page.waitForURL(/\/private-area\?.*kind=minutes/)
      expect(await titles()).toEqual([minutes.title])
      expect(await page.getByRole('status').innerText()).toBe('1 document matches your filters')

      await page.getByRole('link', { name: 'Clear' }).click()
      await page.getByLabel('Title').fill('technology')
      await page.getByRole('button', { name: 'Apply filters' }).click()
      await page.waitForURL(/q=technology/)
      expect(await titles()).toEqual([presentation.title])

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.locator('#documents .pa-item').first().getByRole('link', { name: /Download/ }).click(),
      ])
      expect(download.suggestedFilename()).toMatch(/\.pdf$/)

      await page.getByRole('button', { name: 'Sign out' }).click()
      await page.waitForURL(`${site.url}/private-area/sign-in`)
      expect((await context.cookies()).some(c => c.name === 'isecg-session')).toBe(false)
    })
  })

  it('shows an error summary, focused and linked to the field, when signing in fails', async () => {
    await withContext({}, async (page) => {
      await signIn(page, 'nobody@esa.example', 'Not-the-password-1')
      await page.waitForURL(`${site.url}/private-area/sign-in`)
      const summary = page.getByRole('alert')
      expect(await summary.innerText()).toContain('The email address or password is not right')
      await expect.poll(() => page.evaluate(() => document.activeElement?.className)).toBe('error-summary')
      const email = page.getByLabel('Email address')
      expect(await email.getAttribute('aria-invalid')).toBe('true')
      expect(await email.inputValue()).toBe('nobody@esa.example')
      const described = (await email.getAttribute('aria-describedby'))!
      expect(await page.locator(`#${described}`).innerText()).toContain('The email address or password is not right')
      expect(await summary.getByRole('link').getAttribute('href')).toBe('#email')
    })
  })
})
