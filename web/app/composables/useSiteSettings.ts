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

/** The header's link to the Private Area (docs/private-area.md), added when the CMS navigation has none. */
export const PRIVATE_AREA_LINK = { label: 'Private Area', href: '/private-area' }

function withPrivateArea(navigation: SiteView['navigation']): SiteView['navigation'] {
  return navigation.some(link => link.href === PRIVATE_AREA_LINK.href)
    ? navigation
    : [...navigation, PRIVATE_AREA_LINK]
}

/** Site settings from the CMS (navigation, footer, contact, brochure); never throws. */
export function useSiteSettings() {
  const { data } = useFetch('/api/site', {
    key: 'site-settings',
    default: () => null,
  })
  return computed<SiteView>(() => {
    const site = data.value
    if (!site) {
      return {
        ...FALLBACK_SITE,
        navigation: withPrivateArea(FALLBACK_SITE.navigation),
      }
    }
    return {
      ...site,
      navigation: withPrivateArea(site.navigation.length ? site.navigation : FALLBACK_SITE.navigation),
      footerLinks: site.footerLinks.length ? site.footerLinks : FALLBACK_SITE.footerLinks,
    }
  })
}
