/** Atom 1.0 feed of the latest publications (server/utils/feeds.ts). */
export default defineFeedHandler('atom', publicationsFeed)
