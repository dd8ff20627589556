/** JSON Feed 1.1 of a topic's news and publications; 404 for an unknown topic (server/utils/feeds.ts). */
export default defineFeedHandler('json', topicFeed)
