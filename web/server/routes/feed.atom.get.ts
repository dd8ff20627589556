/** Atom 1.0 feed of the latest news (server/utils/feeds.ts). */
export default defineFeedHandler('atom', newsFeed)
