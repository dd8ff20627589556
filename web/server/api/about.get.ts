import type { AboutView } from '../../shared/types/view'

/** About ISECG: intro, principles, origin, terms of reference, membership. */
export default defineEventHandler(async (event): Promise<AboutView> => {
  const response = await fromCms(event, cms => cms.single('about-page', {
    fields: ['title', 'intro', 'origin', 'termsOfReference', 'membership'],
    populate: { principles: true },
  }))
  const data = response.data as Record<string, unknown>
  return {
    title: str(data.title, 'About ISECG'),
    introHtml: renderMarkdown(str(data.intro)),
    principles: entries(data.principles).map(p => ({ title: str(p.title), description: str(p.description) })),
    // each in a section headed by an <h2> (pages/about.vue)
    originHtml: renderMarkdown(str(data.origin), { headingLevel: 3 }),
    termsHtml: renderMarkdown(str(data.termsOfReference), { headingLevel: 3 }),
    membershipHtml: renderMarkdown(str(data.membership), { headingLevel: 3 }),
  }
})
