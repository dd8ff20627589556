import type { FaqGroupView } from '../../shared/types/view'
import { slugify } from '../../shared/utils/format'

/** FAQ entries grouped by category; groups keep the order of their first entry. */
export default defineEventHandler(async (event): Promise<FaqGroupView[]> => {
  const faqs = await fromCms(event, cms => cms.findAll('faqs', {
    fields: [
      'question',
      'slug',
      'answer',
      'category',
      'sortOrder',
    ],
    sort: ['sortOrder:asc', 'question:asc'],
  }))
  const groups = new Map<string, FaqGroupView>()
  for (const entry of faqs) {
    const faq = toFaq(entry, renderMarkdown)
    const group = groups.get(faq.category) ?? { category: faq.category, id: `category-${slugify(faq.category)}`, items: [] }
    group.items.push(faq)
    groups.set(faq.category, group)
  }
  return [
    ...groups.values(),
  ]
})
