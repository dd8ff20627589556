import type { CmsInstance } from '../../../cms/tests/harness'
import type { HiddenContent } from '../../../cms/tests/support/hidden-content'
import type { SiteInstance } from '../support/site'
/**
 * The feeds (server/utils/feeds.ts): news, publications and one per topic, each as RSS 2.0, Atom 1.0
 * and JSON Feed 1.1. RSS and Atom are read by independent parsers from npm (rss-parser,
 * @rowanmanning/feed-parser); JSON Feed is checked against the fields the 1.1 spec requires.
 */
import { parseFeed } from '@rowanmanning/feed-parser'
import Parser from 'rss-parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCms } from '../../../cms/tests/harness'
import { addHiddenContent, MARKER } from '../../../cms/tests/support/hidden-content'
import { parseHtmlDocument, walk } from '../support/html'
import { startSite } from '../support/site'

let cms: CmsInstance
let site: SiteInstance
let hidden: HiddenContent

beforeAll(async () => {
  cms = await startCms()
  hidden = await addHiddenContent(cms.strapi)
  site = await startSite({ cmsUrl: cms.url })
})

afterAll(async () => {
  await site?.stop()
  await cms?.stop()
})

/** The feeds and the page each follows; every one has items in the seed but the hidden-only topic. */
const FEEDS = [
  { base: '/feed', home: '/news', items: true },
  { base: '/publications/feed', home: '/publications', items: true },
  { base: '/topics/lunar-volatiles/feed', home: '/lunar-volatiles', items: true },
  { base: '/topics/advanced-technology/feed', home: '/advanced-technology', items: true },
  { base: '/topics/hidden-only-topic/feed', home: '/publications?topic=hidden-only-topic', items: false },
]

const TYPES = {
  xml: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
} as const

async function get(path: string) {
  const response = await fetch(`${site.url}${path}`)
  return { response, text: await response.text() }
}

/** Item links of a feed in every format, checked to agree, with the feed's own links. */
async function readFeeds(base: string) {
  const links: Record<string, string[]> = {}
  const rss = await get(`${base}.xml`)
  expect(rss.response.status, `${base}.xml`).toBe(200)
  expect(rss.response.headers.get('content-type')).toBe(TYPES.xml)
  const byRssParser = await new Parser().parseString(rss.text)
  const byFeedParser = parseFeed(rss.text)
  expect(byFeedParser.meta.type).toBe('rss')
  expect(byFeedParser.items.map(item => item.url)).toEqual(byRssParser.items.map(item => item.link))
  links.rss = byRssParser.items.map(item => item.link!)

  const atom = await get(`${base}.atom`)
  expect(atom.response.status, `${base}.atom`).toBe(200)
  expect(atom.response.headers.get('content-type')).toBe(TYPES.atom)
  const atomFeed = parseFeed(atom.text)
  expect(atomFeed.meta.type).toBe('atom')
  expect(atomFeed.self).toBe(`${site.url}${base}.atom`)
  expect(atomFeed.title).toBeTruthy()
  for (const item of atomFeed.items) {
    expect(item.id).toBe(item.url)
    expect(item.title).toBeTruthy()
    expect(item.updated).toBeInstanceOf(Date)
  }
  // rss-parser reads Atom too: a second, independent reading
  const atomByRssParser = await new Parser().parseString(atom.text)
  expect(atomByRssParser.items.map(item => item.link)).toEqual(atomFeed.items.map(item => item.url))
  links.atom = atomFeed.items.map(item => item.url!)

  const json = await get(`${base}.json`)
  expect(json.response.status, `${base}.json`).toBe(200)
  expect(json.response.headers.get('content-type')).toBe(TYPES.json)
  links.json = checkJsonFeed(JSON.parse(json.text), `${site.url}${base}.json`)

  expect(links.atom).toEqual(links.rss)
  expect(links.json).toEqual(links.rss)
  for (const text of [rss.text, atom.text, json.text]) {
    expect(text).not.toContain(MARKER)
    for (const secret of [
      ...hidden.secrets,
      ...hidden.draftSecrets,
    ])
      expect(text).not.toContain(secret)
  }
  return {
    links: links.rss,
    atomFeed,
    homes: [byRssParser.link, atomFeed.url],
  }
}

/** JSON Feed 1.1's required and typed fields (https://jsonfeed.org/version/1.1); returns the item URLs. */
function checkJsonFeed(feed: Record<string, any>, feedUrl: string): string[] {
  expect(feed.version).toBe('https://jsonfeed.org/version/1.1')
  expect(typeof feed.title).toBe('string')
  expect(feed.title.length).toBeGreaterThan(0)
  expect(feed.feed_url).toBe(feedUrl)
  expect(typeof feed.home_page_url).toBe('string')
  expect(Array.isArray(feed.authors)).toBe(true)
  for (const author of feed.authors)
    expect(typeof author.name).toBe('string')
  expect(Array.isArray(feed.items)).toBe(true)
  const ids = new Set<string>()
  for (const item of feed.items) {
    expect(typeof item.id).toBe('string')
    expect(ids.has(item.id)).toBe(false)
    ids.add(item.id)
    // one of content_html and content_text is required
    expect(typeof item.content_text === 'string' || typeof item.content_html === 'string').toBe(true)
    expect(item.content_html).toBeUndefined()
    expect(typeof item.url).toBe('string')
    expect(typeof item.title).toBe('string')
    if (item.date_published !== undefined) {
      // RFC 3339
      expect(item.date_published).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/)
    }
  }
  return feed.items.map((item: { url: string }) => item.url)
}

describe('feeds', () => {
  it('offers RSS, Atom and JSON Feed for news, publications and each topic, read alike by independent parsers, every item link answering 200', async () => {
    const checked = new Set<string>()
    for (const feed of FEEDS) {
      const { links, atomFeed, homes } = await readFeeds(feed.base)
      expect(homes).toEqual([`${site.url}${feed.home}`, `${site.url}${feed.home}`])
      if (feed.items)
        expect(links.length, feed.base).toBeGreaterThan(0)
      else
        expect(links, feed.base).toEqual([])
      // newest first
      const dates = atomFeed.items.map(item => item.published!.getTime())
      expect(dates).toEqual([...dates].sort((a, b) => b - a))
      for (const link of links) {
        expect(link.startsWith(`${site.url}/`)).toBe(true)
        if (checked.has(link))
          continue
        checked.add(link)
        const response = await fetch(link)
        expect(response.status, link).toBe(200)
      }
    }
    expect(checked.size).toBeGreaterThan(5)
    // the public article added with the hidden content is in the news feed; its draft edits are not
    const news = await readFeeds('/feed')
    expect(news.links).toContain(`${site.url}/news/${hidden.publicArticle.slug}`)
  })

  it('keeps members-only and draft-only news and publications out of every feed', async () => {
    for (const feed of FEEDS) {
      for (const extension of ['xml', 'atom', 'json']) {
        const { response, text } = await get(`${feed.base}.${extension}`)
        expect(response.status, `${feed.base}.${extension}`).toBe(200)
        expect(text, `${feed.base}.${extension}`).not.toContain(MARKER)
        expect(text).not.toContain('members-news')
        expect(text).not.toContain('members-publication')
        expect(text).not.toContain('draft-news')
        expect(text).not.toContain('draft-publication')
      }
    }
    // the public article tagged with the same topic as the hidden news is there
    expect((await get('/topics/lunar-volatiles/feed.atom')).text).toContain(`/news/${hidden.publicArticle.slug}`)
  })

  it('answers 404 for the feeds of an unknown or draft-only topic', async () => {
    for (const extension of ['xml', 'atom', 'json'])
      expect((await get(`/topics/lunar-volatiles/feed.${extension}`)).response.status).toBe(200)
    for (const slug of ['no-such-topic', `${MARKER}-draft-topic`, 'Bad%20Slug']) {
      for (const extension of ['xml', 'atom', 'json']) {
        const { response } = await get(`/topics/${slug}/feed.${extension}`)
        expect(response.status, `${slug}.${extension}`).toBe(404)
      }
    }
  })

  it('announces the feeds in the page head for autodiscovery', async () => {
    const pages = {
      '/': ['/feed.xml', '/feed.atom', '/feed.json'],
      '/news': ['/feed.xml', '/feed.atom', '/feed.json'],
      '/publications': [
        '/feed.xml',
        '/feed.atom',
        '/feed.json',
        '/publications/feed.xml',
        '/publications/feed.atom',
        '/publications/feed.json',
      ],
      '/lunar-volatiles': [
        '/feed.xml',
        '/feed.atom',
        '/feed.json',
        '/topics/lunar-volatiles/feed.xml',
        '/topics/lunar-volatiles/feed.atom',
        '/topics/lunar-volatiles/feed.json',
      ],
    }
    const typeOf = (href: string) => TYPES[href.split('.').pop() as keyof typeof TYPES].replace('; charset=utf-8', '')
    for (const [path, expected] of Object.entries(pages)) {
      const { response, text } = await get(path)
      expect(response.status).toBe(200)
      const links = [
        ...walk(parseHtmlDocument(text)),
      ]
        .filter(node => node.tagName === 'link' && node.attrs?.some(a => a.name === 'rel' && a.value === 'alternate'))
        .map(node => Object.fromEntries(node.attrs!.map(a => [a.name, a.value])))
        .filter(link => link.type !== 'text/html')
      expect(links.map(link => link.href).sort(), path).toEqual([...expected].sort())
      for (const link of links) {
        expect(link.type, link.href).toBe(typeOf(link.href!))
        expect(link.title).toBeTruthy()
        expect((await fetch(`${site.url}${link.href}`)).status, link.href).toBe(200)
      }
    }
  })
})
