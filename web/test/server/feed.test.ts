import type { CmsInstance } from '../../../cms/tests/harness'
import type { SiteInstance } from '../support/site'
import Parser from 'rss-parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCms } from '../../../cms/tests/harness'
import { executableMarkup, parseHtmlFragment, textOf, walk } from '../support/html'
import { startSite } from '../support/site'
import { createXssSummaryArticles, XSS_SUMMARIES } from '../support/xss'

let cms: CmsInstance
let site: SiteInstance
let slugs: Record<string, string>

beforeAll(async () => {
  cms = await startCms()
  // Stored before the site's first request for /feed.xml, which is then cached.
  slugs = await createXssSummaryArticles(cms)
  site = await startSite({ cmsUrl: cms.url, siteUrl: 'https://www.isecg.example' })
})

afterAll(async () => {
  await site?.stop()
  await cms?.stop()
})

describe('rSS feed payloads', () => {
  it('gives feed readers the summaries as text: no payload class becomes markup', async () => {
    const response = await fetch(`${site.url}/feed.xml`)
    expect(response.status).toBe(200)
    // A real feed parser decodes the XML, as a feed reader does; the reader then renders
    // <description> (rss-parser's `content`) as HTML.
    const feed = await new Parser().parseString(await response.text())
    const itemFor = (slug: string) => feed.items.find(item => item.link === `https://www.isecg.example/news/${slug}`)

    for (const [kind, summary] of Object.entries(XSS_SUMMARIES)) {
      const item = itemFor(slugs[kind]!)
      expect(item, kind).toBeDefined()
      const description = parseHtmlFragment(item!.content ?? '')
      expect(executableMarkup(description), kind).toEqual([])
      expect([
        ...walk(description),
      ].filter(node => node.tagName).map(node => node.tagName), kind).toEqual([])
      // and the reader still shows what the editor wrote, word for word
      expect(textOf(description), kind).toBe(summary)
    }

    // An article without a summary: the feed falls back to its body reduced to text.
    const body = parseHtmlFragment(itemFor(slugs.body!)!.content ?? '')
    expect(executableMarkup(body)).toEqual([])
    expect([
      ...walk(body),
    ].filter(node => node.tagName)).toEqual([])
    expect(textOf(body)).toContain('Routine meeting report.')
    expect(textOf(body)).toContain('Open the minutes')
  })
})
