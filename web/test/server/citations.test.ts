import type { CmsInstance } from '../../../cms/tests/harness'
import type { SiteInstance } from '../support/site'
/**
 * Citations of a publication (GET /api/publications/<slug>/citation?format=...): BibTeX, RIS and
 * CSL-JSON, read back with @citation-js, and their download links on the publication's page.
 */
import { Cite } from '@citation-js/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCms } from '../../../cms/tests/harness'
import { addHiddenContent, MARKER } from '../../../cms/tests/support/hidden-content'
import { parseHtmlDocument, textOf, walk } from '../support/html'
import { startSite } from '../support/site'
import '@citation-js/plugin-bibtex'
import '@citation-js/plugin-ris'

const SITE_URL = 'https://www.isecg.example'
const ORGANISATION = 'International Space Exploration Coordination Group'
/** A title with every character BibTeX treats specially, and one outside ASCII. */
const TRICKY = {
  slug: 'citation-special-characters',
  title: 'Moon & Mars: 100% of the R_D plan {v2} #1, $5 ~ ^ \\ Génération',
  publicationDate: '2019-03-15',
}

let cms: CmsInstance
let site: SiteInstance

beforeAll(async () => {
  cms = await startCms()
  await addHiddenContent(cms.strapi)
  await cms.strapi.documents('api::publication.publication').create({
    data: {
      ...TRICKY,
      kind: 'white_paper',
      abstract: 'Line one.\n\nLine two.',
      visibility: 'public',
    },
    status: 'published',
  } as never)
  site = await startSite({ cmsUrl: cms.url, siteUrl: SITE_URL })
})

afterAll(async () => {
  await site?.stop()
  await cms?.stop()
})

const FORMATS = [
  { format: 'bibtex', type: 'application/x-bibtex; charset=utf-8', extension: 'bib' },
  { format: 'ris', type: 'application/x-research-info-systems; charset=utf-8', extension: 'ris' },
  { format: 'csl-json', type: 'application/vnd.citationstyles.csl+json; charset=utf-8', extension: 'json' },
] as const

const citationPath = (slug: string, format: string) => `/api/publications/${slug}/citation?format=${format}`

async function readCitation(slug: string, format: typeof FORMATS[number]) {
  const response = await fetch(`${site.url}${citationPath(slug, format.format)}`)
  const text = await response.text()
  expect(response.status, `${slug} ${format.format}: ${text}`).toBe(200)
  expect(response.headers.get('content-type')).toBe(format.type)
  expect(response.headers.get('content-disposition')).toBe(`attachment; filename="isecg-${slug}.${format.extension}"`)
  const items = new Cite(text).data
  expect(items, format.format).toHaveLength(1)
  return items[0]!
}

describe('citations', () => {
  it('round-trips BibTeX, RIS and CSL-JSON through @citation-js with the title, the organisation as author, the year and the page URL', async () => {
    const seeded = await cms.strapi.documents('api::publication.publication').findMany({
      filters: { visibility: 'public' },
      status: 'published',
      fields: ['slug', 'title', 'publicationDate'],
    } as never) as unknown as { slug: string, title: string, publicationDate: string }[]
    const publications = [
      seeded.find(p => p.slug === 'global-exploration-roadmap-2024')!,
      seeded.find(p => p.slug === TRICKY.slug)!,
    ]
    expect(publications.every(Boolean)).toBe(true)
    for (const publication of publications) {
      for (const format of FORMATS) {
        const item = await readCitation(publication.slug, format)
        const label = `${publication.slug} ${format.format}`
        expect(item.title, label).toBe(publication.title)
        // one unsplit name: CSL's literal; BibTeX's braced {Organisation} reads back as a family name
        // without a given name, which is how BibTeX spells an institutional author
        expect(item.author, label).toEqual([
          format.format === 'bibtex'
            ? { family: ORGANISATION }
            : { literal: ORGANISATION },
        ])
        expect(Number(item.issued?.['date-parts']?.[0]?.[0]), label).toBe(Number(publication.publicationDate.slice(0, 4)))
        expect(Number(item.issued?.['date-parts']?.[0]?.[1]), label).toBe(Number(publication.publicationDate.slice(5, 7)))
        expect(item.URL, label).toBe(`${SITE_URL}/publications/${publication.slug}`)
        expect(item.type, label).toBe('report')
      }
    }
  })

  it('answers 404 for a members-only, draft-only or unknown publication and 400 for an unknown format', async () => {
    for (const { format } of FORMATS)
      expect((await fetch(`${site.url}${citationPath('global-exploration-roadmap-2024', format)}`)).status).toBe(200)
    for (const slug of [`${MARKER}-members-publication`, `${MARKER}-draft-publication`, 'no-such-publication']) {
      for (const { format } of FORMATS) {
        const response = await fetch(`${site.url}${citationPath(slug, format)}`)
        const text = await response.text()
        expect(response.status, `${slug} ${format}`).toBe(404)
        expect(text).not.toContain(`${MARKER} `)
      }
    }
    const response = await fetch(`${site.url}${citationPath('global-exploration-roadmap-2024', 'endnote')}`)
    expect(response.status).toBe(400)
  })

  it('offers the three citations as downloads on the publication page', async () => {
    const response = await fetch(`${site.url}/publications/global-exploration-roadmap-2024`)
    expect(response.status).toBe(200)
    const document = parseHtmlDocument(await response.text())
    const section = [
      ...walk(document),
    ].find(node => node.tagName === 'section' && node.attrs?.some(a => a.name === 'aria-labelledby' && a.value === 'cite-title'))
    expect(section).toBeDefined()
    const links = [
      ...walk(section!),
    ].filter(node => node.tagName === 'a').map(node => ({
      href: node.attrs!.find(a => a.name === 'href')!.value,
      download: node.attrs!.find(a => a.name === 'download')?.value,
      text: textOf(node).replace(/\s+/g, ' ').trim(),
    }))
    expect(links.map(link => link.href)).toEqual(FORMATS.map(({ format }) => citationPath('global-exploration-roadmap-2024', format)))
    expect(links.map(link => link.download)).toEqual(FORMATS.map(({ extension }) => `isecg-global-exploration-roadmap-2024.${extension}`))
    for (const link of links) {
      expect(link.text).toMatch(/^(BibTeX|RIS|CSL-JSON) citation of /)
      expect((await fetch(`${site.url}${link.href}`)).status).toBe(200)
    }
  })
})
