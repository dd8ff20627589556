import type { HomeView } from '../../shared/types/view'

/** Home page: hero and intro, latest news, featured publications, member strip. */
export default defineEventHandler(async (event): Promise<HomeView> => {
  const origin = mediaOrigin(event)
  const [home, news, members] = await Promise.all([
    fromCmsOptional(event, cms => cms.single('homepage', {
      fields: [
        'heroTitle',
        'heroText',
        'introTitle',
        'intro',
      ],
      populate: { featuredPublications: PUBLICATION_QUERY },
    })),
    fromCms(event, cms => cms.find('news-articles', {
      ...NEWS_CARD_QUERY,
      sort: ['date:desc', 'id:desc'],
      pagination: { page: 1, pageSize: 3, withCount: false },
    })),
    fromCms(event, cms => cms.findAll('member-agencies', MEMBER_QUERY)),
  ])
  const data = home?.data
  return {
    heroTitle: data?.heroTitle || 'International Space Exploration Coordination Group',
    heroText: data?.heroText ?? '',
    introTitle: data?.introTitle ?? '',
    introHtml: renderMarkdown(data?.intro ?? ''),
    featured: toPublications(data?.featuredPublications, origin),
    news: toNewsCards(news.data, origin),
    members: members.map(member => toMember(member, origin)),
  }
})
