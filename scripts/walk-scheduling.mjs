// Walkthrough of scheduled publishing and the Author role in the admin (README "Editors"), against
// a running CMS whose admin panel is built (`pnpm dev`, or `pnpm --filter cms build` then
// `strapi start`). Through the Content Manager's API an Editor (the first admin) schedules a news
// article and a publication and gives a published article an end date; an Author is invited and
// writes a draft. Chromium then shows the list view with the schedule columns, the edit view with the
// fields and their help texts, a refused schedule, and the Author's view (schedule read-only, no
// Publish). Screenshots at 1280 px go to the folder given (default artifacts/walkthrough-scheduling).
// Usage: CMS_URL=http://localhost:1337 node scripts/walk-scheduling.mjs [outDir]
//        (admin login from ADMIN_EMAIL / ADMIN_PASSWORD, else from cms/.env)
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { launchChromium } from './lib/chromium.mjs'

const cms = process.env.CMS_URL ?? 'http://localhost:1337'
const out = process.argv[2] ?? 'artifacts/walkthrough-scheduling'
mkdirSync(out, { recursive: true })
const envFile = new URL('../cms/.env', import.meta.url)
const fileEnv = existsSync(envFile)
  ? Object.fromEntries(readFileSync(envFile, 'utf8').split('\n')
      .map(line => /^(\w+)=(.*)$/.exec(line)).filter(Boolean).map(m => [
        m[1],
        m[2].replace(/^"|"$/g, ''),
      ]))
  : {}
const adminEmail = process.env.ADMIN_EMAIL ?? fileEnv.ADMIN_EMAIL
const adminPassword = process.env.ADMIN_PASSWORD ?? fileEnv.ADMIN_PASSWORD

const NEWS = 'api::news-article.news-article'
const PUBLICATION = 'api::publication.publication'
const DAY = 24 * 60 * 60 * 1000
/** a whole hour `days` from now, in UTC */
function at(days, hour) {
  const date = new Date(Date.now() + days * DAY)
  date.setUTCHours(hour, 0, 0, 0)
  return date.toISOString()
}
const suffix = randomBytes(3).toString('hex')

async function api(token, method, path, body) {
  const response = await fetch(`${cms}${path}`, {
    method,
    headers: {
      'authorization': `Bearer ${token}`,
      'content-type': 'application/json',
    },
    body: body === undefined
      ? undefined
      : JSON.stringify(body),
  })
  const data = await response.json().catch(() => null)
  if (!response.ok)
    throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(data?.error ?? data)}`)
  return data
}

async function login(email, password) {
  const { data } = await api('', 'POST', '/admin/login', { email, password })
  return data.token
}

const editor = await login(adminEmail, adminPassword)
const collection = uid => `/content-manager/collection-types/${uid}`

// an Editor schedules
const workshop = (await api(editor, 'POST', collection(NEWS), {
  title: 'Lunar surface operations workshop: call for participation',
  slug: `lunar-surface-operations-workshop-${suffix}`,
  date: at(1, 0).slice(0, 10),
  summary: 'Agencies and industry are invited to present lunar surface operations concepts.',
  visibility: 'public',
  publishAt: at(1, 8),
  unpublishAt: at(29, 18),
})).data
const plenary = (await api(editor, 'POST', collection(NEWS), {
  title: 'Registration open for the ISECG plenary',
  slug: `registration-open-isecg-plenary-${suffix}`,
  date: at(0, 0).slice(0, 10),
  summary: 'Heads of delegation register until the end of the month.',
  visibility: 'public',
  unpublishAt: at(14, 17),
})).data
await api(editor, 'POST', `${collection(NEWS)}/${plenary.documentId}/actions/publish`, {})
await api(editor, 'POST', collection(PUBLICATION), {
  title: 'Global Exploration Roadmap supplement: lunar surface exploration scenario',
  slug: `ger-supplement-lunar-surface-${suffix}`,
  kind: 'supplement',
  publicationDate: at(7, 0).slice(0, 10),
  abstract: 'A scenario for sustained lunar surface exploration.',
  visibility: 'public',
  publishAt: at(7, 9),
})
// refused: the end before the start
const refused = await fetch(`${cms}${collection(NEWS)}/${workshop.documentId}`, {
  method: 'PUT',
  headers: { 'authorization': `Bearer ${editor}`, 'content-type': 'application/json' },
  body: JSON.stringify({
    unpublishAt: at(0, 23),
  }),
})
console.log('unpublish before publish:', refused.status, (await refused.json()).error?.message)

// an Author is invited and writes a draft
const authorRole = (await api(editor, 'GET', '/admin/roles')).data.find(role => role.code === 'strapi-author')
const authorEmail = `author-${suffix}@isecg.local`
const authorPassword = `Author-${randomBytes(9).toString('base64url')}-7a`
const invited = (await api(editor, 'POST', '/admin/users', {
  email: authorEmail,
  firstname: 'Ada',
  lastname: 'Author',
  roles: [authorRole.id],
})).data
await api('', 'POST', '/admin/register', {
  registrationToken: invited.registrationToken,
  userInfo: { firstname: 'Ada', lastname: 'Author', password: authorPassword },
})
const author = await login(authorEmail, authorPassword)
const draft = (await api(author, 'POST', collection(NEWS), {
  title: 'Working group meeting report (draft)',
  slug: `working-group-meeting-report-${suffix}`,
  date: at(0, 0).slice(0, 10),
  summary: 'Report of the technology working group meeting.',
  visibility: 'public',
})).data

async function signIn(page, email, password) {
  await page.goto(`${cms}/admin/auth/login`)
  await page.fill('input[name="email"]', email)
  await page.fill('input[name="password"]', password)
  await page.click('button[type="submit"]')
  await page.waitForURL(url => !url.pathname.includes('/auth/'))
}

/** Closes what Strapi shows a new admin user (the guided tour, the announcement banner). */
async function dismiss(page) {
  for (const name of ['Skip', 'Close the banner.']) {
    const button = page.getByRole('button', { name })
    if (await button.first().isVisible().catch(() => false))
      await button.first().click()
  }
  await page.waitForTimeout(1000)
}

/** A screenshot 1280 px wide; `tall`: as high as the admin's scrolling content (the panel and the form's end together). */
async function shoot(page, name, tall = false) {
  if (tall) {
    const height = await page.evaluate(() => Math.max(...[
      ...document.querySelectorAll('main, main *'),
    ].map(element => element.scrollHeight)))
    await page.setViewportSize({
      width: 1280,
      height: Math.min(Math.max(height, 900), 4000),
    })
    await page.waitForTimeout(300)
  }
  await page.screenshot({
    path: join(out, `${name}-1280.png`),
  })
  if (tall)
    await page.setViewportSize({ width: 1280, height: 900 })
  console.log('screenshot', join(out, `${name}-1280.png`))
}

/** Strapi writes dates in full: at 1280 px the list's last columns are reached by scrolling the table. */
async function scrollTableRight(page) {
  await page.evaluate(() => {
    const table = document.querySelector('table')
    let box = table?.parentElement
    while (box && box.scrollWidth <= box.clientWidth)
      box = box.parentElement
    if (box)
      box.scrollLeft = box.scrollWidth
  })
  await page.waitForTimeout(300)
}

/** Scrolls the edit form to a field's label. */
async function scrollTo(page, label) {
  await page.getByText(label, { exact: true }).first().scrollIntoViewIfNeeded()
  await page.waitForTimeout(300)
}

const browser = await launchChromium()
try {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    timezoneId: 'UTC',
    locale: 'en-GB',
  })
  const page = await context.newPage()
  await signIn(page, adminEmail, adminPassword)
  await page.goto(`${cms}/admin/content-manager/collection-types/${NEWS}?page=1&pageSize=10&sort=updatedAt:DESC`)
  await page.getByText(workshop.title).first().waitFor()
  await page.waitForTimeout(1000)
  await dismiss(page)
  await shoot(page, '1-news-list')
  // what is scheduled: the entries with a Publish at or an Unpublish at, the table scrolled to them
  const scheduled = 'filters[$or][0][publishAt][$notNull]=true&filters[$or][1][unpublishAt][$notNull]=true'
  await page.goto(`${cms}/admin/content-manager/collection-types/${NEWS}?page=1&pageSize=10&sort=publishAt:ASC&${scheduled}`)
  await page.getByText(workshop.title).first().waitFor()
  await scrollTableRight(page)
  await shoot(page, '2-news-list-scheduled')
  await page.goto(`${cms}/admin/content-manager/collection-types/${PUBLICATION}?page=1&pageSize=10&sort=publishAt:ASC&${scheduled}`)
  await page.getByText('lunar surface exploration scenario', { exact: false }).first().waitFor()
  await scrollTableRight(page)
  await shoot(page, '3-publications-list-scheduled')

  await page.goto(`${cms}/admin/content-manager/collection-types/${NEWS}/${workshop.documentId}`)
  await page.getByText('Publish at', { exact: true }).first().waitFor()
  await page.waitForTimeout(1000)
  await shoot(page, '4-edit-schedule-panel')
  await scrollTo(page, 'Unpublish at')
  await shoot(page, '5-edit-schedule-fields')

  // an editor types an end before the start and saves: refused, shown under the field, kept in the form
  const unpublish = page.getByRole('group', { name: 'Unpublish at' })
  const start = new Date(workshop.publishAt)
  const mmddyyyy = `${String(start.getUTCMonth() + 1).padStart(2, '0')}/${String(start.getUTCDate()).padStart(2, '0')}/${start.getUTCFullYear()}`
  for (const [name, value] of [
    ['Choose date', mmddyyyy],
    ['Choose time', '07:00'],
  ]) {
    const input = unpublish.getByRole('combobox', { name })
    await input.click()
    await input.fill(value)
    await input.press('Enter')
  }
  // the panel warns before saving
  await page.getByText('Saving will be refused', { exact: false }).first().waitFor()
  await shoot(page, '6-edit-schedule-warning', true)
  await page.getByRole('button', { name: 'Save' }).click()
  await page.getByText('Unpublish at must be later than Publish at.').first().waitFor()
  // Strapi's admin reloads the stored entry after a refused save
  console.log('after the refused save the form shows:', await unpublish.getByRole('combobox', { name: 'Choose date' }).inputValue(), await unpublish.getByRole('combobox', { name: 'Choose time' }).inputValue())
  await scrollTo(page, 'Unpublish at')
  await shoot(page, '7-edit-refused-on-save')
  await context.close()

  const authorContext = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    timezoneId: 'UTC',
    locale: 'en-GB',
  })
  const authorPage = await authorContext.newPage()
  await signIn(authorPage, authorEmail, authorPassword)
  await authorPage.goto(`${cms}/admin/content-manager/collection-types/${NEWS}/${draft.documentId}`)
  await authorPage.getByText('Publish at', { exact: true }).first().waitFor()
  await authorPage.waitForTimeout(1000)
  await dismiss(authorPage)
  await shoot(authorPage, '8-author-edit-view')
  await scrollTo(authorPage, 'Unpublish at')
  await shoot(authorPage, '9-author-schedule-read-only')
  await authorContext.close()
}
finally {
  await browser.close()
}
