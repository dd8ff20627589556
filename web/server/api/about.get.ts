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
    originHtml: renderMarkdown(str(data.origin)),
    termsHtml: renderMarkdown(str(data.termsOfReference)),
    membershipHtml: renderMarkdown(str(data.membership)),
  }
})
