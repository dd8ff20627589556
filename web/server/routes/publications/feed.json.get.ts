/** JSON Feed 1.1 of the latest publications (server/utils/feeds.ts). */
export default defineFeedHandler('json', publicationsFeed)
