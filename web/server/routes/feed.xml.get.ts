/** RSS 2.0 feed of the latest news (server/utils/feeds.ts). */
export default defineFeedHandler('rss', newsFeed)
