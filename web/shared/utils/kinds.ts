import type { PublicationKind } from '@isecg/shared'

/**
 * Publication kinds (the CMS schema's enumeration), in the order the library lists them, with
 * their display labels. A kind added to the schema is a type error here until it is listed.
 */
export const PUBLICATION_KINDS = [
  'roadmap',
  'supplement',
  'framework',
  'white_paper',
  'report',
  'brochure',
] as const satisfies readonly PublicationKind[]

type Unlisted = Exclude<PublicationKind, (typeof PUBLICATION_KINDS)[number]>
const everyKindListed: [Unlisted] extends [never] ? true : Unlisted = true
void everyKindListed

const LABELS: Record<PublicationKind, string> = {
  roadmap: 'Roadmap',
  supplement: 'Roadmap supplement',
  framework: 'Framework',
  white_paper: 'White paper',
  report: 'Report',
  brochure: 'Brochure',
}

export function isPublicationKind(value: unknown): value is PublicationKind {
  return typeof value === 'string' && (PUBLICATION_KINDS as readonly string[]).includes(value)
}

export function kindLabel(kind: string | null | undefined): string {
  return isPublicationKind(kind)
    ? LABELS[kind]
    : 'Publication'
}

/** The three topic sections, served at the site root (/advanced-technology, ...). */
export const TOPIC_SLUGS = ['advanced-technology', 'science-perspectives', 'lunar-volatiles'] as const
