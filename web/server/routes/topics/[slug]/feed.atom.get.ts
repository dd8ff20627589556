/** Atom 1.0 feed of a topic's news and publications; 404 for an unknown topic (server/utils/feeds.ts). */
export default defineFeedHandler('atom', topicFeed)
