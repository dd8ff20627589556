/**
 * Citations of a publication (GET /api/publications/<slug>/citation?format=bibtex|ris|csl-json):
 * BibTeX, RIS and CSL-JSON, written here without a citation library (the formats are small and
 * fixed; the tests read them back with @citation-js). The author is the organisation, as an
 * institutional (literal) name; the year and month come from the publication date; the URL is the
 * publication's canonical page on NUXT_PUBLIC_SITE_URL.
 */
import type { PublicationKind } from '@isecg/shared'
import { kindLabel } from '../../shared/utils/kinds'

export const ORGANISATION = 'International Space Exploration Coordination Group'

export const CITATION_FORMATS = {
  'bibtex': { extension: 'bib', contentType: 'application/x-bibtex; charset=utf-8' },
  'ris': { extension: 'ris', contentType: 'application/x-research-info-systems; charset=utf-8' },
  'csl-json': { extension: 'json', contentType: 'application/vnd.citationstyles.csl+json; charset=utf-8' },
} as const

export type CitationFormat = keyof typeof CITATION_FORMATS

export function isCitationFormat(value: unknown): value is CitationFormat {
  return typeof value === 'string' && Object.hasOwn(CITATION_FORMATS, value)
}

export interface CitedPublication {
  slug: string
  title: string
  kind: PublicationKind | null | undefined
  /** YYYY-MM-DD */
  date: string
  abstract: string
  language: string
  /** absolute URL of the publication's page */
  url: string
}

function dateParts(date: string): number[] {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(date)
  return match
    ? [
        Number(match[1]),
        Number(match[2]),
        Number(match[3]),
      ]
    : []
}

/** Escapes BibTeX's special characters, so that the value reads back as written. */
function bibtexEscape(text: string): string {
  return text.replace(/[\\{}&%$#_~^]/g, (char) => {
    switch (char) {
      case '\\': return '\\textbackslash{}'
      case '~': return '\\textasciitilde{}'
      case '^': return '\\textasciicircum{}'
      default: return `\\${char}`
    }
  })
}

const MONTHS = [
  'jan',
  'feb',
  'mar',
  'apr',
  'may',
  'jun',
  'jul',
  'aug',
  'sep',
  'oct',
  'nov',
  'dec',
]

/** A single-line value: no line breaks, as RIS tags and BibTeX fields are read line by line. */
const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim()

export function toBibtex(publication: CitedPublication): string {
  const [year, month] = dateParts(publication.date)
  const fields: [string, string][] = [
    ['author', `{${bibtexEscape(ORGANISATION)}}`],
    ['title', `{${bibtexEscape(oneLine(publication.title))}}`],
    [
      'institution',
      bibtexEscape(ORGANISATION),
    ],
    [
      'type',
      bibtexEscape(kindLabel(publication.kind)),
    ],
  ]
  if (year) {
    fields.push([
      'year',
      String(year),
    ])
  }
  if (month)
    fields.push(['month', MONTHS[month - 1]!])
  fields.push(['url', publication.url])
  if (publication.language) {
    fields.push([
      'language',
      bibtexEscape(publication.language),
    ])
  }
  const key = `isecg-${publication.slug}`.replace(/[^\w-]/g, '-')
  return [
    `@techreport{${key},`,
    // month is BibTeX's macro (jan, feb, ...), written bare; every other value is braced
    ...fields.map(([name, value]) => `  ${name} = ${name === 'month'
      ? value
      : `{${value}}`},`),
    '}',
    '',
  ].join('\n')
}

export function toRis(publication: CitedPublication): string {
  const [year, month, day] = dateParts(publication.date)
  const lines = [
    'TY  - RPRT',
    `TI  - ${oneLine(publication.title)}`,
    // one name with spaces and no comma: an institutional author
    `AU  - ${ORGANISATION}`,
    `PB  - ${ORGANISATION}`,
  ]
  if (year) {
    lines.push(`PY  - ${year}`)
    lines.push(`DA  - ${year}/${String(month).padStart(2, '0')}/${String(day).padStart(2, '0')}`)
  }
  lines.push(`M3  - ${kindLabel(publication.kind)}`)
  if (publication.abstract)
    lines.push(`AB  - ${oneLine(publication.abstract)}`)
  if (publication.language)
    lines.push(`LA  - ${publication.language}`)
  lines.push(`UR  - ${publication.url}`)
  lines.push('ER  - ', '')
  return lines.join('\r\n')
}

export function toCslJson(publication: CitedPublication): string {
  const parts = dateParts(publication.date)
  return `${JSON.stringify([
    {
      id: `isecg-${publication.slug}`,
      type: 'report',
      title: publication.title,
      author: [
        { literal: ORGANISATION },
      ],
      publisher: ORGANISATION,
      genre: kindLabel(publication.kind),
      ...(parts.length
        ? {
            issued: {
              'date-parts': [parts],
            },
          }
        : {}),
      ...(publication.abstract
        ? { abstract: publication.abstract }
        : {}),
      ...(publication.language
        ? { language: publication.language }
        : {}),
      URL: publication.url,
    },
  ], null, 2)}\n`
}

export const CITATION_WRITERS: Record<CitationFormat, (publication: CitedPublication) => string> = {
  'bibtex': toBibtex,
  'ris': toRis,
  'csl-json': toCslJson,
}
