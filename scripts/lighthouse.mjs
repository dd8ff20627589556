// Lighthouse (12.x) audit of the public site's key pages in Debian's Chromium.
// Usage: node scripts/lighthouse.mjs [siteUrl]   (default http://localhost:3000; run against
// `pnpm start`, i.e. the production build, not `pnpm dev`).
// Prints performance and accessibility scores per page against the goals (performance >= 95,
// accessibility 100) and exits 1 when a goal is missed. Mobile emulation, Lighthouse defaults.
// Each page is audited RUNS times (default 3) and the run with the median performance score is
// reported, as Lighthouse's own guidance on variability recommends.
import * as chromeLauncher from 'chrome-launcher'
import lighthouse from 'lighthouse'

const site = (process.argv[2] ?? process.env.SITE_URL ?? 'http://localhost:3000').replace(/\/$/, '')
const pages = ['/', '/news', '/publications']
const goals = { performance: 95, accessibility: 100 }
const runs = Math.max(1, Number(process.env.RUNS) || 3)

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  chromeFlags: [
    '--headless=new',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
})
const rows = []
try {
  for (const path of pages) {
    // warm the page cache first: the goal is about the cached page a visitor gets
    await fetch(`${site}${path}`).catch(() => {})
    const results = []
    for (let run = 0; run < runs; run++) {
      results.push(await lighthouse(`${site}${path}`, {
        port: chrome.port,
        output: 'json',
        logLevel: 'error',
        onlyCategories: ['performance', 'accessibility'],
      }))
    }
    results.sort((a, b) => a.lhr.categories.performance.score - b.lhr.categories.performance.score)
    const result = results[Math.floor(results.length / 2)]
    const { categories, audits } = result.lhr
    const failedA11y = Object.values(audits).filter(a => a.score === 0 && result.lhr.categories.accessibility.auditRefs.some(r => r.id === a.id)).map(a => a.id)
    rows.push({
      'page': path,
      'runs': results.map(r => Math.round(r.lhr.categories.performance.score * 100)).join('/'),
      'performance': Math.round(categories.performance.score * 100),
      'accessibility': Math.round(categories.accessibility.score * 100),
      'LCP': audits['largest-contentful-paint'].displayValue,
      'TBT': audits['total-blocking-time'].displayValue,
      'CLS': audits['cumulative-layout-shift'].displayValue,
      'a11y failures': failedA11y.join(', ') || '-',
    })
  }
}
finally {
  await chrome.kill()
}
console.table(rows)
const missed = rows.filter(row => row.performance < goals.performance || row.accessibility < goals.accessibility)
console.log(missed.length
  ? `goals missed on: ${missed.map(r => r.page).join(', ')}`
  : `all pages meet performance >= ${goals.performance} and accessibility ${goals.accessibility}`)
process.exit(missed.length ? 1 : 0)
