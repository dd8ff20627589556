/** REST path segment → Strapi content-type UID. Agencies and the site rely on these paths. */
export const collections = {
  'news-articles': 'api::news-article.news-article',
  'publications': 'api::publication.publication',
  'member-agencies': 'api::member-agency.member-agency',
  'faqs': 'api::faq.faq',
  'topics': 'api::topic.topic',
  // readable only with a member JWT or an API token (docs/private-area.md)
  'member-documents': 'api::member-document.member-document',
} as const

/** Single types: REST path segment → UID. */
export const singles = {
  'homepage': 'api::homepage.homepage',
  'site-setting': 'api::site-setting.site-setting',
  'about-page': 'api::about-page.about-page',
} as const

export type CollectionName = keyof typeof collections
export type SingleName = keyof typeof singles
