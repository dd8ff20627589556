// Walkthrough of news notifications against a running `pnpm dev` (site :3000, CMS :1337, MailDev
// :1080), as the people who use them: a visitor subscribes in Chromium and confirms through the
// link in the mail; an editor publishes a news article through the admin's API; the news mail is
// read from MailDev and shown in Chromium; the visitor unsubscribes with a one-click POST. Writes
// screenshots (1280 and 390 px) to the folder given (default artifacts/walkthrough).
// Usage: node scripts/walk-notifications.mjs [outDir]   (admin login from cms/.env)
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { launchChromium } from './lib/chromium.mjs'

const site = 'http://localhost:3000'
const cms = 'http://localhost:1337'
const inbox = 'http://localhost:1080'
const out = process.argv[2] ?? 'artifacts/walkthrough'
mkdirSync(out, { recursive: true })
const env = Object.fromEntries(readFileSync(new URL('../cms/.env', import.meta.url), 'utf8').split('\n')
  .map(line => /^(\w+)=(.*)$/.exec(line)).filter(Boolean).map(m => [
    m[1],
    m[2].replace(/^"|"$/g, ''),
  ]))
const email = `walk-${Date.now()}@example.org`

async function mailTo(address, subject, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const mails = await (await fetch(`${inbox}/api/email`)).json()
    const found = mails.filter(mail => mail.to.some(to => to.address === address) && subject.test(mail.subject))
    if (found.length)
      return found.at(-1)
    await new Promise(resolve => setTimeout(resolve, 500))
  }
  throw new Error(`no mail "${subject}" to ${address}`)
}

async function shoot(page, name) {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 })
    await page.screenshot({
      path: join(out, `${name}-${width}.png`),
      fullPage: true,
    })
  }
}

const browser = await launchChromium()
try {
  const page = await browser.newPage({
    viewport: { width: 1280, height: 900 },
  })
  await page.goto(`${site}/subscribe`)
  await shoot(page, '1-subscribe')
  await page.fill('#email', email)
  await page.check('#choice')
  await page.check('input[name="consent"]')
  await page.click('button[type="submit"]')
  await page.waitForURL(/check-your-email/)
  await shoot(page, '2-check-your-email')

  const confirmation = await mailTo(email, /confirm/i)
  const link = /https?:\/\/\S+\/subscribe\/confirm\/[\w-]+/.exec(confirmation.text)[0]
  console.log('confirmation mail:', confirmation.subject, link)
  await page.goto(link)
  await shoot(page, '3-confirm')
  await page.click('form button[type="submit"]')
  await page.waitForURL(/preferences/)
  await shoot(page, '4-preferences')

  // an editor publishes through the admin's API (what the Content Manager's Publish button calls)
  const login = await (await fetch(`${cms}/admin/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD }),
  })).json()
  const auth = { 'authorization': `Bearer ${login.data.token}`, 'content-type': 'application/json' }
  const base = `${cms}/content-manager/collection-types/api::news-article.news-article`
  const title = `Walkthrough news ${new Date().toISOString().slice(0, 16)}`
  const created = await (await fetch(base, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({
      title,
      slug: `walkthrough-${Date.now()}`,
      date: new Date().toISOString().slice(0, 10),
      summary: 'ISECG agencies met to review the Global Exploration Roadmap supplement.',
      visibility: 'public',
    }),
  })).json()
  const published = await fetch(`${base}/${created.data.documentId}/actions/publish`, { method: 'POST', headers: auth, body: '{}' })
  console.log('publish:', published.status)

  const news = await mailTo(email, /^ISECG news:/)
  // the headers as sent (MailDev's parsed view leaves some out)
  const source = await (await fetch(`${inbox}/api/email/${news.id}/source`)).text()
  const head = source.slice(0, source.indexOf('\n\n')).replace(/\r?\n[ \t]+/g, ' ')
  const header = name => new RegExp(`^${name}: (.*)$`, 'im').exec(head)?.[1]
  console.log('news mail:', news.subject)
  for (const name of [
    'List-Unsubscribe',
    'List-Unsubscribe-Post',
    'Message-ID',
    'From',
    'Reply-To',
  ])
    console.log(`  ${name}: ${header(name)}`)
  const html = await (await fetch(`${inbox}/api/email/${news.id}/html`)).text()
  await page.setContent(html)
  await shoot(page, '5-news-mail')

  const oneClick = /<(https?:[^>]+)>/.exec(header('List-Unsubscribe'))[1]
  for (let i = 0; i < 2; i++) {
    const answer = await fetch(oneClick, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    })
    console.log('one-click POST', i + 1, answer.status)
  }
  const events = await (await fetch(`${cms}/content-manager/collection-types/api::consent-event.consent-event?sort=occurredAt:desc&pageSize=5`, { headers: auth })).json()
  console.log('ledger:', events.results.slice(0, 4).map(event => `${event.type}/${event.source}`).join(', '))
  const mailings = await (await fetch(`${cms}/content-manager/collection-types/api::news-mailing.news-mailing?sort=startedAt:desc&pageSize=1`, { headers: auth })).json()
  const mailing = mailings.results[0]
  console.log('news mailing:', mailing.title, `recipients ${mailing.recipients}, sent ${mailing.sent}, pending ${mailing.pending}, failed ${mailing.failed}`)
}
finally {
  await browser.close()
}
