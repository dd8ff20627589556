import { queryCollection } from '@nuxt/content/server'
import { TOPIC_SLUGS } from '../../shared/utils/kinds'

const STATIC_PATHS = [
  '/',
  '/about',
  '/news',
  '/publications',
  '/members',
  '/faq',
  ...TOPIC_SLUGS.map(slug => `/${slug}`),
]

/** All public pages: static sections, news articles, publications and the legal pages from content/. */
export default defineEventHandler(async (event) => {
  const siteUrl = siteOrigin(event)
  const [news, publications, pages] = await Promise.all([
    // every entry, page by page: the CMS answers at most 100 per page
    fromCms(event, cms => cms.findAll('news-articles', {
      fields: ['slug', 'updatedAt'],
      sort: ['date:desc', 'id:desc'],
    })),
    fromCms(event, cms => cms.findAll('publications', {
      fields: ['slug', 'updatedAt'],
      sort: ['publicationDate:desc', 'id:desc'],
    })),
    queryCollection(event, 'pages').select('path').all().catch(() => []),
  ])
  const urls: { loc: string, lastmod?: string }[] = [
    ...STATIC_PATHS.map(path => ({ loc: path })),
    ...news.filter(n => n.slug).map(n => ({
      loc: `/news/${n.slug}`,
      lastmod: isoDate(n.updatedAt).slice(0, 10),
    })),
    ...publications.filter(p => p.slug).map(p => ({
      loc: `/publications/${p.slug}`,
      lastmod: isoDate(p.updatedAt).slice(0, 10),
    })),
    ...pages.map(page => ({ loc: page.path })),
  ]
  const body = urls.map(url => [
    '  <url>',
    `    <loc>${xmlEscape(siteLink(siteUrl, url.loc))}</loc>`,
    url.lastmod
      ? `    <lastmod>${url.lastmod}</lastmod>`
      : '',
    '  </url>',
  ].filter(Boolean).join('\n'))
  setResponseHeader(event, 'content-type', 'application/xml; charset=utf-8')
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ...body,
    '</urlset>',
    '',
  ].join('\n')
})
