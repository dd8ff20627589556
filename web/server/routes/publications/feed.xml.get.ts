/** RSS 2.0 feed of the latest publications (server/utils/feeds.ts). */
export default defineFeedHandler('rss', publicationsFeed)
