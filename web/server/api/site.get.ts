import type { SiteView } from '../../shared/types/view'

/** Site-wide settings: navigation, footer, contact, brochure. */
export default defineEventHandler(async (event): Promise<SiteView> => {
  const origin = mediaOrigin(event)
  const response = await fromCms(event, cms => cms.single('site-setting', {
    fields: ['siteName', 'tagline', 'footerText'],
    populate: {
      navigation: true,
      footerLinks: true,
      contact: true,
      brochure: MEDIA_FIELDS,
    },
  }))
  const data = response.data as Record<string, unknown>
  const contact = (data.contact ?? null) as SiteView['contact']
  return {
    siteName: str(data.siteName, 'ISECG'),
    tagline: str(data.tagline),
    navigation: toLinks(data.navigation),
    footerLinks: toLinks(data.footerLinks),
    footerText: str(data.footerText),
    contact: contact
      ? { organisation: contact.organisation ?? null, address: contact.address ?? null, email: contact.email ?? null, phone: contact.phone ?? null }
      : null,
    brochure: toMedia(data.brochure, origin),
  }
})
