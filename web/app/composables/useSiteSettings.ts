import type { SiteView } from '#shared/types/view'
import { siteSetting as seed } from '../../../cms/src/seed/fixtures/pages'

/**
 * Used when the CMS cannot be reached, so that header, footer and error pages still work: the
 * navigation and footer links the CMS is seeded with (one source, cms/src/seed/fixtures/pages.ts).
 */
export const FALLBACK_SITE: SiteView = {
  siteName: 'International Space Exploration Coordination Group',
  tagline: seed.tagline,
  navigation: seed.navigation,
  footerLinks: seed.footerLinks,
  footerText: '',
  contact: null,
  brochure: null,
}

/** Site settings from the CMS (navigation, footer, contact, brochure); never throws. */
export function useSiteSettings() {
  const { data } = useFetch('/api/site', {
    key: 'site-settings',
    default: () => null,
  })
  return computed<SiteView>(() => {
    const site = data.value
    if (!site)
      return FALLBACK_SITE
    return {
      ...site,
      navigation: site.navigation.length ? site.navigation : FALLBACK_SITE.navigation,
      footerLinks: site.footerLinks.length ? site.footerLinks : FALLBACK_SITE.footerLinks,
    }
  })
}
