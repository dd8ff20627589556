import { defineCollection, defineContentConfig, z } from '@nuxt/content'

/** Pages that live with the code rather than in the CMS: legal notice, privacy, accessibility. */
export default defineContentConfig({
  collections: {
    pages: defineCollection({
      type: 'page',
      source: '*.md',
      schema: z.object({
        title: z.string(),
        description: z.string(),
        /** Date of the last substantive change, ISO format. */
        updated: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
      }),
    }),
  },
})
