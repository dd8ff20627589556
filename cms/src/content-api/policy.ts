/**
 * The allow-list of the public read path: for every content type and component served by the
 * Content API, which of its attributes a caller outside the admin may populate and which relations
 * a filter may reach through. Anything not listed here answers 400, so a new relation, media field
 * or component is closed until someone decides to open it here (a test fails while a content type
 * or component has no entry).
 *
 * - `populate`: relations, media, components and dynamic zones that may be populated. Media are
 *   always leaves: they may be populated for their own fields, never for `related`, `folder` or
 *   any other relation of the upload plugin.
 * - `filterThrough`: relations a filter may follow (to a content type listed here). Filters may
 *   never follow media, and never a relation inside `$not`.
 *
 * What is listed is what the public site (web/server) and the documented agency API use.
 */
export interface TypePolicy {
  readonly populate: readonly string[]
  readonly filterThrough: readonly string[]
  /**
   * Entries only members (and API tokens, and the preview credential) may read: an anonymous read
   * matches nothing, even if someone grants the Public role access in the admin.
   */
  readonly membersOnly?: boolean
}

/** How many relation or component steps a populate may go down from the entry asked for. */
export const MAX_POPULATE_DEPTH = 3

export const CONTENT_API_POLICY: Readonly<Record<string, TypePolicy>> = {
  'api::news-article.news-article': {
    populate: [
      'cover',
      'attachments',
      'topics',
      'agencies',
    ],
    filterThrough: ['topics', 'agencies'],
  },
  'api::publication.publication': {
    populate: [
      'cover',
      'file',
      'topics',
      'supersedes',
      'supersededBy',
      'supplements',
      'supplementedBy',
    ],
    filterThrough: [
      'topics',
      'supersedes',
      'supersededBy',
      'supplements',
      'supplementedBy',
    ],
  },
  'api::member-agency.member-agency': {
    populate: ['logo'],
    filterThrough: [],
  },
  'api::member-document.member-document': {
    populate: ['file', 'topics'],
    filterThrough: ['topics'],
    membersOnly: true,
  },
  // written and read by the CMS itself (src/private-area); no Content API routes
  'api::member-token.member-token': { populate: [], filterThrough: [], membersOnly: true },
  'api::member-download.member-download': { populate: [], filterThrough: [], membersOnly: true },
  // news notifications (src/notifications, docs/notifications.md): never read through the Content API
  'api::subscriber.subscriber': { populate: [], filterThrough: [], membersOnly: true },
  'api::consent-event.consent-event': { populate: [], filterThrough: [], membersOnly: true },
  'api::news-mailing.news-mailing': { populate: [], filterThrough: [], membersOnly: true },
  // agencies' webhook endpoints (src/agency-webhooks): admin only, no Content API routes
  'api::agency-webhook.agency-webhook': { populate: [], filterThrough: [], membersOnly: true },
  'api::faq.faq': { populate: [], filterThrough: [] },
  'api::topic.topic': {
    populate: ['newsArticles', 'publications'],
    filterThrough: ['newsArticles', 'publications'],
  },
  'api::homepage.homepage': {
    populate: ['featuredPublications'],
    filterThrough: [],
  },
  'api::site-setting.site-setting': {
    populate: [
      'navigation',
      'footerLinks',
      'contact',
      'brochure',
    ],
    filterThrough: [],
  },
  'api::about-page.about-page': {
    populate: ['principles'],
    filterThrough: [],
  },
  'navigation.link': { populate: [], filterThrough: [] },
  'shared.contact': { populate: [], filterThrough: [] },
  'shared.principle': { populate: [], filterThrough: [] },
}

const CLOSED: TypePolicy = Object.freeze({ populate: [], filterThrough: [] })

/** The policy of a content type or component; a type that is not listed may populate nothing. */
export function policyOf(uid: string): TypePolicy {
  return CONTENT_API_POLICY[uid] ?? CLOSED
}
