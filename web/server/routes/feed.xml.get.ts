/** RSS 2.0 feed of the latest news. */
export default defineEventHandler(async (event) => {
  const siteUrl = siteOrigin(event)
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
    pagination: { page: 1, pageSize: 20, withCount: false },
  }))
  const items = response.data.filter(item => item.visibility !== 'members').map((item) => {
    const link = siteLink(siteUrl, `/news/${item.slug ?? ''}`)
    const description = item.summary || markdownToText(item.body ?? '', 400)
    const date = new Date(`${isoDate(item.date)}T00:00:00Z`)
    return [
      '    <item>',
      `      <title>${xmlEscape(item.title ?? '')}</title>`,
      `      <link>${xmlEscape(link)}</link>`,
      `      <guid isPermaLink="true">${xmlEscape(link)}</guid>`,
      Number.isNaN(date.getTime())
        ? ''
        : `      <pubDate>${date.toUTCString()}</pubDate>`,
      `      <description>${feedText(description)}</description>`,
      '    </item>',
    ].filter(Boolean).join('\n')
  })
  const newest = response.data[0]
  const lastBuild = newest
    ? new Date(`${isoDate(newest.date)}T00:00:00Z`)
    : new Date()
  const xml = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
    '  <channel>',
    '    <title>ISECG news</title>',
    `    <link>${xmlEscape(siteLink(siteUrl, '/news'))}</link>`,
    `    <atom:link href="${xmlEscape(siteLink(siteUrl, '/feed.xml'))}" rel="self" type="application/rss+xml"/>`,
    '    <description>News from the International Space Exploration Coordination Group</description>',
    '    <language>en</language>',
    Number.isNaN(lastBuild.getTime())
      ? ''
      : `    <lastBuildDate>${lastBuild.toUTCString()}</lastBuildDate>`,
    ...items,
    '  </channel>',
    '</rss>',
    '',
  ].filter(line => line !== '').join('\n')
  setResponseHeader(event, 'content-type', 'application/rss+xml; charset=utf-8')
  return xml
})
