import { queryCollection } from '@nuxt/content/server'
import { TOPIC_SLUGS } from '../../shared/utils/kinds'

const STATIC_PATHS = ['/', '/about', '/news', '/publications', '/members', '/faq', ...TOPIC_SLUGS.map(slug => `/${slug}`)]

/** All public pages: static sections, news articles, publications and the legal pages from content/. */
export default defineEventHandler(async (event) => {
  const { siteUrl } = useRuntimeConfig(event).public
  const [news, publications, pages] = await Promise.all([
    fromCms(event, cms => cms.find('news-articles', {
      fields: ['slug', 'updatedAt'],
      sort: ['date:desc'],
      pagination: { page: 1, pageSize: 1000, withCount: false },
    })),
    fromCms(event, cms => cms.find('publications', {
      fields: ['slug', 'updatedAt'],
      sort: ['publicationDate:desc'],
      pagination: { page: 1, pageSize: 1000, withCount: false },
    })),
    queryCollection(event, 'pages').select('path').all().catch(() => []),
  ])
  const urls: { loc: string, lastmod?: string }[] = [
    ...STATIC_PATHS.map(path => ({ loc: path })),
    ...entries(news.data).map(n => ({ loc: `/news/${str(n.slug)}`, lastmod: str(n.updatedAt).slice(0, 10) })),
    ...entries(publications.data).map(p => ({ loc: `/publications/${str(p.slug)}`, lastmod: str(p.updatedAt).slice(0, 10) })),
    ...pages.map(page => ({ loc: page.path })),
  ]
  const body = urls.map(url => [
    '  <url>',
    `    <loc>${xmlEscape(siteLink(siteUrl, url.loc))}</loc>`,
    url.lastmod ? `    <lastmod>${url.lastmod}</lastmod>` : '',
    '  </url>',
  ].filter(Boolean).join('\n'))
  setResponseHeader(event, 'content-type', 'application/xml; charset=utf-8')
  return ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">', ...body, '</urlset>', ''].join('\n')
})
