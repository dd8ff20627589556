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
