import type { CmsInstance } from '../../../cms/tests/harness'

/** Markdown with the usual stored-XSS vectors; each sets window.__xss (or alerts) if it ever runs. */
export const XSS_BODY = [
  'Routine meeting report.',
  '',
  '<script>window.__xss = "script"</script>',
  '',
  '<img src="/does-not-exist.png" onerror="window.__xss = \'onerror\'" alt="x">',
  '',
  '[Click for the agenda](javascript:window.__xss=\'md-link\')',
  '',
  '<a id="xss-link" href="javascript:window.__xss=\'raw-link\'">Open the minutes</a>',
  '',
  '<iframe src="javascript:parent.__xss=\'iframe\'"></iframe>',
  '',
  '<svg onload="window.__xss=\'svg\'"><circle r="1"/></svg>',
  '',
  '<p onmouseover="window.__xss=\'hover\'">Hover me</p>',
].join('\n')

/** Stores a published public news article whose body carries {@link XSS_BODY}. */
export async function createXssArticle(cms: CmsInstance, slug = `xss-test-${Date.now()}`) {
  await cms.strapi.documents('api::news-article.news-article').create({
    data: {
      title: 'Plenary meeting report (XSS test)',
      slug,
      date: '2026-01-15',
      summary: 'A test article whose body holds script payloads <script>window.__xss="summary"</script>.',
      body: XSS_BODY,
      visibility: 'public',
    } as never,
    status: 'published',
  })
  return slug
}

/**
 * News summaries (plain text in the CMS) carrying one payload class each. A feed reader parses an
 * RSS `<description>` as HTML, so each of these would become live markup if the feed escaped the
 * summary only once. Keys name the class.
 */
export const XSS_SUMMARIES = {
  'script': 'Agenda <script>window.__xss="summary-script"</script> attached.',
  'img onerror': 'Photos <img src="x" onerror="window.__xss=\'summary-img\'"> from the plenary.',
  'svg onload': 'Diagram <svg onload="window.__xss=\'summary-svg\'"><circle r="1"/></svg> of the roadmap.',
  'javascript: link': 'Read <a href="javascript:window.__xss=\'summary-js-link\'">the minutes</a> online.',
  'data: link': 'Open <a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">the annex</a> here.',
  'iframe srcdoc': 'Video <iframe srcdoc="<script>parent.__xss=\'summary-srcdoc\'</script>"></iframe> of the session.',
  'form action=javascript:': 'Register <form action="javascript:window.__xss=\'summary-form\'"><button>now</button></form> today.',
  'object and embed': 'Slides <object data="javascript:window.__xss=\'summary-object\'"></object><embed src="javascript:window.__xss=\'summary-embed\'"> here.',
  'escaped entities': 'Editors may type &lt;b&gt; and &amp;amp; literally & mean it.',
} as const

/**
 * Stores one published public news article per {@link XSS_SUMMARIES} entry (summary = payload, plain
 * body), dated after every seeded article so that they lead the feed, plus one article without a
 * summary whose body is {@link XSS_BODY} (the feed then falls back to the body's text).
 * Returns the slugs by payload class ('body' for the last one).
 */
export async function createXssSummaryArticles(cms: CmsInstance, prefix = `xss-summary-${Date.now()}`) {
  const slugs: Record<string, string> = {}
  const entries: [string, string, string | null, string][] = Object.entries(XSS_SUMMARIES)
    .map(([kind, summary], index) => [
      kind,
      `${prefix}-${index}`,
      summary,
      'Plain body.',
    ])
  entries.push([
    'body',
    `${prefix}-body`,
    null,
    XSS_BODY,
  ])
  for (const [index, [kind, slug, summary, body]] of entries.entries()) {
    await cms.strapi.documents('api::news-article.news-article').create({
      data: {
        title: `Feed payload test: ${kind}`,
        slug,
        date: `2098-06-${String(index + 1).padStart(2, '0')}`,
        summary,
        body,
        visibility: 'public',
      } as never,
      status: 'published',
    })
    slugs[kind] = slug
  }
  return slugs
}
