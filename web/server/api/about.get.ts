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
    // each in a section headed by an <h2> (pages/about.vue)
    originHtml: renderMarkdown(data.origin ?? '', { headingLevel: 3 }),
    termsHtml: renderMarkdown(data.termsOfReference ?? '', { headingLevel: 3 }),
    membershipHtml: renderMarkdown(data.membership ?? '', { headingLevel: 3 }),
  }
})
