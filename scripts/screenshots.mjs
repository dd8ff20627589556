// Screenshots of every section of the site in Debian's Chromium, desktop (1280) and mobile (390).
// Usage: node scripts/screenshots.mjs [siteUrl=http://localhost:3000] [outDir=artifacts/screenshots]
import { mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'

const require = createRequire(new URL('../web/package.json', import.meta.url))
const { chromium } = require('playwright-core')

const site = (process.argv[2] ?? 'http://localhost:3000').replace(/\/$/, '')
const out = process.argv[3] ?? 'artifacts/screenshots'
const pages = [
  '/',
  '/about',
  '/news',
  '/news?page=2',
  '/news/isecg-meeting-songdo-december-2023',
  '/publications',
  '/publications?kind=roadmap',
  '/publications/global-exploration-roadmap-2018',
  '/members',
  '/faq#is-isecg-a-governing-body',
  '/advanced-technology',
  '/science-perspectives',
  '/lunar-volatiles',
  '/accessibility',
  '/no-such-page',
]

mkdirSync(out, { recursive: true })
const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
})
try {
  for (const width of [1280, 390]) {
    const page = await browser.newPage({
      viewport: { width, height: 900 },
    })
    for (const path of pages) {
      const response = await page.goto(`${site}${path}`, { waitUntil: 'networkidle' })
      const name = `${path.replace(/[^a-z0-9]+/gi, '_').replace(/^_|_$/g, '') || 'home'}-${width}.png`
      await page.screenshot({
        path: join(out, name),
        fullPage: true,
      })
      console.log(`${response?.status()} ${path} -> ${join(out, name)}`)
    }
    await page.close()
  }
}
finally {
  await browser.close()
}
