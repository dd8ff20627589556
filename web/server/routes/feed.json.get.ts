/** JSON Feed 1.1 of the latest news (server/utils/feeds.ts). */
export default defineFeedHandler('json', newsFeed)
