export interface PageSeo {
  title: string
  description?: string
  /** Image URL, absolute or site-relative (e.g. /uploads/cover.jpg). */
  image?: string | null
  type?: 'website' | 'article'
  /** Canonical path with any query that matters (defaults to the current path without query). */
  path?: string
}

/** Title, description, Open Graph and canonical URL of a page, from NUXT_PUBLIC_SITE_URL. */
export function usePageSeo(seo: PageSeo | (() => PageSeo)) {
  const config = useRuntimeConfig()
  const route = useRoute()
  const resolved = computed(() => (typeof seo === 'function'
    ? seo()
    : seo))
  // NUXT_PUBLIC_SITE_URL; only `nuxt dev` runs without it (the production server refuses to start)
  const origin = (config.public.siteUrl || useRequestURL().origin).replace(/\/+$/, '')
  const absolute = (path: string) => (/^https?:\/\//.test(path)
    ? path
    : `${origin}${path}`)
  const url = computed(() => absolute(resolved.value.path ?? route.path))
  const description = computed(() => resolved.value.description || 'The International Space Exploration Coordination Group (ISECG) is a voluntary, non-binding forum of space agencies coordinating their plans for space exploration.')
  const image = computed(() => absolute(resolved.value.image || '/og-image.png'))

  useSeoMeta({
    title: () => resolved.value.title,
    description,
    ogTitle: () => resolved.value.title,
    ogDescription: description,
    ogType: () => resolved.value.type ?? 'website',
    ogUrl: url,
    ogImage: image,
    ogSiteName: 'ISECG',
    ogLocale: 'en_GB',
    twitterCard: 'summary_large_image',
  })
  useHead({
    link: [
      { rel: 'canonical', href: url },
    ],
  })
}
