import type { AboutView } from '../../shared/types/view'

/** About ISECG: intro, principles, origin, terms of reference, membership. */
export default defineEventHandler(async (event): Promise<AboutView> => {
  const { data } = await fromCms(event, cms => cms.single('about-page', {
    fields: [
      'title',
      'intro',
      'origin',
      'termsOfReference',
      'membership',
    ],
    populate: { principles: true },
  }))
  return {
    title: data.title || 'About ISECG',
    introHtml: renderMarkdown(data.intro ?? ''),
    principles: (data.principles ?? []).map(p => ({ title: p.title ?? '', description: p.description ?? '' })),
    originHtml: renderMarkdown(data.origin ?? ''),
    termsHtml: renderMarkdown(data.termsOfReference ?? ''),
    membershipHtml: renderMarkdown(data.membership ?? ''),
  }
})
