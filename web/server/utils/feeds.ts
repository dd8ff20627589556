/**
 * The site's feeds: one list of entries, written as RSS 2.0 (`.xml`), Atom 1.0 (`.atom`) or
 * JSON Feed 1.1 (`.json`). News: /feed.*, publications: /publications/feed.*, a topic's news and
 * publications: /topics/<slug>/feed.*. Entries come from the anonymous CMS client, which returns
 * published, public entries only; members-only entries are dropped here as well (defence in depth).
 */
import type { H3Event } from 'h3'
import { TOPIC_SLUGS } from '../../shared/utils/kinds'

export type FeedFormat = 'rss' | 'atom' | 'json'

export interface FeedEntry {
  title: string
  /** path on the site, e.g. /news/some-article */
  path: string
  /** ISO date (YYYY-MM-DD...) of the entry */
  date: string
  /** plain text */
  summary: string
}

export interface FeedSource {
  title: string
  description: string
  /** the page the feed follows, e.g. /news */
  homePath: string
  /** the feed's path without its extension, e.g. /feed or /publications/feed */
  feedPath: string
  entries: FeedEntry[]
}

/** Entries per feed, newest first. */
export const FEED_SIZE = 20

export const FEED_FORMATS: Record<FeedFormat, { extension: string, contentType: string }> = {
  rss: { extension: '.xml', contentType: 'application/rss+xml; charset=utf-8' },
  atom: { extension: '.atom', contentType: 'application/atom+xml; charset=utf-8' },
  json: { extension: '.json', contentType: 'application/feed+json; charset=utf-8' },
}

const AUTHOR = 'International Space Exploration Coordination Group'

/** The feed path of a format: `/feed` → `/feed.atom`. */
export function feedUrl(feedPath: string, format: FeedFormat): string {
  return `${feedPath}${FEED_FORMATS[format].extension}`
}

function entryDate(date: string): Date | null {
  const day = date.slice(0, 10)
  const parsed = new Date(`${day}T00:00:00Z`)
  return /^\d{4}-\d{2}-\d{2}$/.test(day) && !Number.isNaN(parsed.getTime())
    ? parsed
    : null
}

function newest(source: FeedSource): Date | null {
  const dates = source.entries.map(entry => entryDate(entry.date)).filter((date): date is Date => !!date)
  return dates.length
    ? new Date(Math.max(...dates.map(date => date.getTime())))
    : null
}

export function renderRss(source: FeedSource, siteUrl: string): string {
  const items = source.entries.map((entry) => {
    const link = siteLink(siteUrl, entry.path)
    const date = entryDate(entry.date)
    return [
      '    <item>',
      `      <title>${xmlEscape(entry.title)}</title>`,
      `      <link>${xmlEscape(link)}</link>`,
      `      <guid isPermaLink="true">${xmlEscape(link)}</guid>`,
      date
        ? `      <pubDate>${date.toUTCString()}</pubDate>`
        : '',
      `      <description>${feedText(entry.summary)}</description>`,
      '    </item>',
    ].filter(Boolean).join('\n')
  })
  const lastBuild = newest(source)
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
    '  <channel>',
    `    <title>${xmlEscape(source.title)}</title>`,
    `    <link>${xmlEscape(siteLink(siteUrl, source.homePath))}</link>`,
    `    <atom:link href="${xmlEscape(siteLink(siteUrl, feedUrl(source.feedPath, 'rss')))}" rel="self" type="application/rss+xml"/>`,
    `    <description>${xmlEscape(source.description)}</description>`,
    '    <language>en</language>',
    lastBuild
      ? `    <lastBuildDate>${lastBuild.toUTCString()}</lastBuildDate>`
      : '',
    ...items,
    '  </channel>',
    '</rss>',
    '',
  ].filter(line => line !== '').join('\n')
}

/** Atom 1.0 (RFC 4287). Summaries are `type="text"`: readers show them as text, never as markup. */
export function renderAtom(source: FeedSource, siteUrl: string): string {
  const updated = (newest(source) ?? new Date(0)).toISOString()
  const entries = source.entries.map((entry) => {
    const link = siteLink(siteUrl, entry.path)
    const date = (entryDate(entry.date) ?? new Date(0)).toISOString()
    return [
      '  <entry>',
      `    <id>${xmlEscape(link)}</id>`,
      `    <title type="text">${xmlEscape(entry.title)}</title>`,
      `    <link rel="alternate" type="text/html" href="${xmlEscape(link)}"/>`,
      `    <published>${date}</published>`,
      `    <updated>${date}</updated>`,
      entry.summary
        ? `    <summary type="text">${xmlEscape(entry.summary)}</summary>`
        : '',
      '  </entry>',
    ].filter(Boolean).join('\n')
  })
  const self = siteLink(siteUrl, feedUrl(source.feedPath, 'atom'))
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">',
    `  <id>${xmlEscape(self)}</id>`,
    `  <title type="text">${xmlEscape(source.title)}</title>`,
    `  <subtitle type="text">${xmlEscape(source.description)}</subtitle>`,
    `  <link rel="self" type="application/atom+xml" href="${xmlEscape(self)}"/>`,
    `  <link rel="alternate" type="text/html" href="${xmlEscape(siteLink(siteUrl, source.homePath))}"/>`,
    `  <updated>${updated}</updated>`,
    `  <author><name>${xmlEscape(AUTHOR)}</name><uri>${xmlEscape(siteLink(siteUrl, '/'))}</uri></author>`,
    ...entries,
    '</feed>',
    '',
  ].join('\n')
}

/** JSON Feed 1.1 (https://jsonfeed.org/version/1.1); `content_text` is plain text by definition. */
export function renderJsonFeed(source: FeedSource, siteUrl: string): string {
  return `${JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: source.title,
    home_page_url: siteLink(siteUrl, source.homePath),
    feed_url: siteLink(siteUrl, feedUrl(source.feedPath, 'json')),
    description: source.description,
    language: 'en',
    authors: [
      {
        name: AUTHOR,
        url: siteLink(siteUrl, '/'),
      },
    ],
    items: source.entries.map((entry) => {
      const link = siteLink(siteUrl, entry.path)
      const date = entryDate(entry.date)
      return {
        id: link,
        url: link,
        title: entry.title,
        content_text: entry.summary || entry.title,
        ...(entry.summary
          ? { summary: entry.summary }
          : {}),
        ...(date
          ? {
              date_published: date.toISOString(),
            }
          : {}),
      }
    }),
  }, null, 2)}\n`
}

const RENDERERS: Record<FeedFormat, (source: FeedSource, siteUrl: string) => string> = {
  rss: renderRss,
  atom: renderAtom,
  json: renderJsonFeed,
}

/** Drops members-only entries, in case one ever reaches the anonymous client. */
function isPublic(entry: { visibility?: string | null }): boolean {
  return entry.visibility !== 'members'
}

/** The latest news articles (/news). */
export async function newsFeed(event: H3Event): Promise<FeedSource> {
  const response = await fromCms(event, cms => cms.find('news-articles', {
    fields: [
      'title',
      'slug',
      'date',
      'summary',
      'body',
      'visibility',
    ],
    sort: ['date:desc', 'id:desc'],
    pagination: { page: 1, pageSize: FEED_SIZE, withCount: false },
  }))
  return {
    title: 'ISECG news',
    description: 'News from the International Space Exploration Coordination Group',
    homePath: '/news',
    feedPath: '/feed',
    entries: response.data.filter(isPublic).map(item => ({
      title: item.title ?? '',
      path: `/news/${item.slug ?? ''}`,
      date: isoDate(item.date),
      summary: item.summary || markdownToText(item.body ?? '', 400),
    })),
  }
}

/** The latest publications (/publications). */
export async function publicationsFeed(event: H3Event): Promise<FeedSource> {
  const response = await fromCms(event, cms => cms.find('publications', {
    fields: [
      'title',
      'slug',
      'publicationDate',
      'abstract',
      'visibility',
    ],
    sort: ['publicationDate:desc', 'id:desc'],
    pagination: { page: 1, pageSize: FEED_SIZE, withCount: false },
  }))
  return {
    title: 'ISECG publications',
    description: 'Roadmaps, reports and papers of the International Space Exploration Coordination Group',
    homePath: '/publications',
    feedPath: '/publications/feed',
    entries: response.data.filter(isPublic).map(item => ({
      title: item.title ?? '',
      path: `/publications/${item.slug ?? ''}`,
      date: isoDate(item.publicationDate),
      summary: (item.abstract ?? '').slice(0, 400),
    })),
  }
}

/**
 * A topic's news and publications, newest first; 404 for an unknown topic. The feed follows the
 * topic's section (/<topic-slug>), or its publications in the library for a topic without one.
 */
export async function topicFeed(event: H3Event): Promise<FeedSource> {
  const slug = getRouterParam(event, 'slug') ?? ''
  if (!/^[a-z0-9-]{1,80}$/.test(slug))
    throw createError({ statusCode: 404, statusMessage: 'Not Found' })
  const topic = await fromCms(event, cms => cms.findBySlug('topics', slug, {
    fields: ['title', 'slug', 'intro'],
    populate: {
      newsArticles: {
        fields: [
          'title',
          'slug',
          'date',
          'summary',
          'visibility',
        ],
        sort: ['date:desc'],
      },
      publications: {
        fields: [
          'title',
          'slug',
          'publicationDate',
          'abstract',
          'visibility',
        ],
        sort: ['publicationDate:desc'],
      },
    },
  }))
  if (!topic)
    throw createError({ statusCode: 404, statusMessage: 'Not Found' })
  const entries: FeedEntry[] = [
    ...(topic.newsArticles ?? []).filter(isPublic).map(item => ({
      title: item.title ?? '',
      path: `/news/${item.slug ?? ''}`,
      date: isoDate(item.date),
      summary: item.summary ?? '',
    })),
    ...(topic.publications ?? []).filter(isPublic).map(item => ({
      title: item.title ?? '',
      path: `/publications/${item.slug ?? ''}`,
      date: isoDate(item.publicationDate),
      summary: (item.abstract ?? '').slice(0, 400),
    })),
  ].sort((a, b) => b.date.localeCompare(a.date)).slice(0, FEED_SIZE)
  return {
    title: `ISECG: ${topic.title ?? slug}`,
    description: topic.intro || `News and publications on ${topic.title ?? slug}`,
    homePath: (TOPIC_SLUGS as readonly string[]).includes(slug)
      ? `/${slug}`
      : `/publications?topic=${slug}`,
    feedPath: `/topics/${slug}/feed`,
    entries,
  }
}

/** A route answering one feed in one format, with its content type. */
export function defineFeedHandler(format: FeedFormat, load: (event: H3Event) => Promise<FeedSource>) {
  return defineEventHandler(async (event) => {
    const source = await load(event)
    const body = RENDERERS[format](source, siteOrigin(event))
    setResponseHeader(event, 'content-type', FEED_FORMATS[format].contentType)
    return body
  })
}
