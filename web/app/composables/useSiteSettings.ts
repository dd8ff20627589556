import type { SiteView } from '#shared/types/view'

/** Used when the CMS cannot be reached, so that header, footer and error pages still work. */
export const FALLBACK_SITE: SiteView = {
  siteName: 'International Space Exploration Coordination Group',
  tagline: 'A forum of space agencies advancing the Global Exploration Strategy through coordination.',
  navigation: [
    { label: 'Home', href: '/' },
    { label: 'About ISECG', href: '/about' },
    { label: 'News', href: '/news' },
    { label: 'Publications', href: '/publications' },
    { label: 'Advanced Technology', href: '/advanced-technology' },
    { label: 'Science Perspectives', href: '/science-perspectives' },
    { label: 'Lunar Volatiles', href: '/lunar-volatiles' },
    { label: 'Members', href: '/members' },
    { label: 'FAQ', href: '/faq' },
  ],
  footerLinks: [
    { label: 'Legal notice', href: '/legal' },
    { label: 'Privacy', href: '/privacy' },
    { label: 'Accessibility', href: '/accessibility' },
  ],
  footerText: '',
  contact: null,
  brochure: null,
}

/** Site settings from the CMS (navigation, footer, contact, brochure); never throws. */
export function useSiteSettings() {
  const { data } = useFetch('/api/site', { key: 'site-settings', default: () => null })
  return computed<SiteView>(() => {
    const site = data.value
    if (!site) return FALLBACK_SITE
    return {
      ...site,
      navigation: site.navigation.length ? site.navigation : FALLBACK_SITE.navigation,
      footerLinks: site.footerLinks.length ? site.footerLinks : FALLBACK_SITE.footerLinks,
    }
  })
}
