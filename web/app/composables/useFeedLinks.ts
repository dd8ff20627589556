/**
 * Feed autodiscovery for a page with its own feeds (server/utils/feeds.ts): RSS, Atom and JSON Feed
 * links in the head, beside the site-wide news feeds of nuxt.config.ts. `feedPath` is the feeds'
 * path without extension, e.g. /publications/feed.
 */
export function useFeedLinks(title: () => string, feedPath: () => string) {
  useHead({
    link: () => [
      {
        rel: 'alternate',
        type: 'application/rss+xml',
        title: title(),
        href: `${feedPath()}.xml`,
      },
      {
        rel: 'alternate',
        type: 'application/atom+xml',
        title: `${title()} (Atom)`,
        href: `${feedPath()}.atom`,
      },
      {
        rel: 'alternate',
        type: 'application/feed+json',
        title: `${title()} (JSON Feed)`,
        href: `${feedPath()}.json`,
      },
    ],
  })
}
