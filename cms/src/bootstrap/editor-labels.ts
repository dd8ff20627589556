/**
 * Readable field labels and help texts in the admin's edit forms ("Publication date" rather than
 * "publicationDate"). Only labels still equal to the raw attribute name are changed, so what an
 * editor customises in "Configure the view" is kept; running it twice changes nothing.
 */
import type { Core, UID } from '@strapi/strapi'

const HELP: Record<string, string> = {
  slug: 'Part of the page address, e.g. /news/<slug>. Lower case, words joined by hyphens.',
  visibility: 'Members-only entries are never shown on the public site or to anonymous API callers.',
  summary: 'One or two sentences shown in lists, feeds and link previews.',
  supersedes: 'The earlier edition this publication replaces.',
  supplements: 'The edition this supplement belongs to.',
  sortOrder: 'Lower numbers come first.',
  featuredPublications: 'Shown on the home page, in this order.',
  yearJoined: 'Year the agency joined ISECG.',
  founder: 'One of the 14 agencies that founded ISECG in 2007.',
  language: 'ISO 639-1 code of the document language, e.g. en.',
  publishAt: 'Publishes this draft, as it then is, at this time (within a minute). Leave empty to publish by hand; publishing by hand clears it. Editors only.',
  unpublishAt: 'Takes the published entry off the site and the API at this time (within a minute); the draft stays. Must be later than Publish at. Editors only.',
}

function humanize(name: string) {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

export async function setEditorLabels(strapi: Core.Strapi) {
  const contentTypes = strapi.plugin('content-manager').service('content-types')
  for (const uid of Object.keys(strapi.contentTypes).filter(key => key.startsWith('api::'))) {
    const contentType = strapi.contentType(uid as UID.ContentType)
    const configuration = await contentTypes.findConfiguration(contentType)
    if (!configuration?.metadatas)
      continue
    let changed = false
    for (const [field, metadata] of Object.entries(configuration.metadatas as Record<string, any>)) {
      if (!metadata?.edit || !(field in contentType.attributes))
        continue
      if (metadata.edit.label === field && humanize(field) !== field) {
        metadata.edit.label = humanize(field)
        if (metadata.list)
          metadata.list.label = humanize(field)
        changed = true
      }
      if (HELP[field] && !metadata.edit.description) {
        metadata.edit.description = HELP[field]
        changed = true
      }
    }
    if (changed)
      await contentTypes.updateConfiguration(contentType, { metadatas: configuration.metadatas, layouts: configuration.layouts, settings: configuration.settings })
  }
}
