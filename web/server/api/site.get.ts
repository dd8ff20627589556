import type { SiteView } from '../../shared/types/view'

/** Site-wide settings: navigation, footer, contact, brochure. */
export default defineEventHandler(async (event): Promise<SiteView> => {
  const origin = mediaOrigin(event)
  const { data } = await fromCms(event, cms => cms.single('site-setting', {
    fields: ['siteName', 'tagline', 'footerText'],
    populate: {
      navigation: true,
      footerLinks: true,
      contact: true,
      brochure: MEDIA_FIELDS,
    },
  }))
  const contact = data.contact
  return {
    siteName: data.siteName || 'ISECG',
    tagline: data.tagline ?? '',
    navigation: toLinks(data.navigation),
    footerLinks: toLinks(data.footerLinks),
    footerText: data.footerText ?? '',
    contact: contact
      ? {
          organisation: contact.organisation ?? null,
          address: contact.address ?? null,
          email: contact.email ?? null,
          phone: contact.phone ?? null,
        }
      : null,
    brochure: toMedia(data.brochure, origin),
  }
})
