import type { MemberDocumentKind } from '@isecg/shared'

/** Where a form or a signed-out download may send the member afterwards: Private Area paths only. */
export function safeNext(value: unknown): string | null {
  if (typeof value !== 'string')
    return null
  return /^\/private-area(?:\/[\w\-/]*)?$/.test(value) && !value.includes('//')
    ? value
    : null
}

/** Member document kinds (the CMS schema's enumeration), in the order the filter lists them. */
export const MEMBER_DOCUMENT_KINDS = [
  'minutes',
  'presentation',
  'working_paper',
  'report',
  'other',
] as const satisfies readonly MemberDocumentKind[]

type Unlisted = Exclude<MemberDocumentKind, (typeof MEMBER_DOCUMENT_KINDS)[number]>
const everyKindListed: [Unlisted] extends [never] ? true : Unlisted = true
void everyKindListed

const LABELS: Record<MemberDocumentKind, string> = {
  minutes: 'Minutes',
  presentation: 'Presentation',
  working_paper: 'Working paper',
  report: 'Report',
  other: 'Other',
}

export function isMemberDocumentKind(value: unknown): value is MemberDocumentKind {
  return typeof value === 'string' && (MEMBER_DOCUMENT_KINDS as readonly string[]).includes(value)
}

export function memberDocumentKindLabel(kind: string | null | undefined): string {
  return isMemberDocumentKind(kind)
    ? LABELS[kind]
    : 'Document'
}
