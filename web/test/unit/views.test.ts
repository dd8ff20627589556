import { describe, expect, it } from 'vitest'
import { isSafeHref, mediaUrl, toLinks, toMember, toNewsCards, toPublication } from '../../server/utils/views'
import { fileInfo, formatDate, slugify } from '../../shared/utils/format'
import { kindLabel } from '../../shared/utils/kinds'

describe('mediaUrl', () => {
  it('keeps CMS upload paths on the site origin (served by the /uploads proxy)', () => {
    expect(mediaUrl('/uploads/logo_esa.png')).toBe('/uploads/logo_esa.png')
  })
  it('prefixes the configured media origin', () => {
    expect(mediaUrl('/uploads/a.pdf', 'https://cms.example.org/')).toBe('https://cms.example.org/uploads/a.pdf')
  })
  it('leaves absolute URLs alone', () => {
    expect(mediaUrl('https://cdn.example.org/a.pdf', 'https://cms.example.org')).toBe('https://cdn.example.org/a.pdf')
  })
})

describe('view mapping', () => {
  it('maps a publication with its edition lineage', () => {
    const view = toPublication({
      title: 'The Global Exploration Roadmap, 3rd edition',
      slug: 'ger-2018',
      kind: 'roadmap',
      publicationDate: '2018-01-31',
      abstract: null,
      file: {
        url: '/uploads/ger_2018.pdf',
        ext: '.pdf',
        size: 2048,
        name: 'ger_2018.pdf',
      },
      supersedes: {
        title: 'GER 2013',
        slug: 'ger-2013',
        kind: 'roadmap',
        publicationDate: '2013-08-20',
      },
      supersededBy: {
        title: 'GER 2024',
        slug: 'ger-2024',
        kind: 'roadmap',
        publicationDate: '2024-05-01',
      },
      supplementedBy: [
        {
          title: 'Supplement 2020',
          slug: 'ger-supplement-2020',
          kind: 'supplement',
          publicationDate: '2020-08-01',
        },
      ],
    })
    expect(view.abstract).toBe('')
    expect(view.file?.url).toBe('/uploads/ger_2018.pdf')
    expect(view.supersedes?.slug).toBe('ger-2013')
    expect(view.supersededBy?.slug).toBe('ger-2024')
    expect(view.supplements).toBeNull()
    expect(view.supplementedBy.map(p => p.slug)).toEqual(['ger-supplement-2020'])
  })

  it('drops members-only entries that a relation might carry', () => {
    const cards = toNewsCards([
      {
        title: 'Public',
        slug: 'public',
        date: '2020-01-01',
        visibility: 'public',
      },
      {
        title: 'Internal',
        slug: 'internal',
        date: '2020-01-02',
        visibility: 'members',
      },
    ])
    expect(cards.map(c => c.slug)).toEqual(['public'])
  })

  it('keeps only http(s) member websites', () => {
    expect(toMember({ acronym: 'X', website: 'javascript:alert(1)' }).website).toBeNull()
    expect(toMember({ acronym: 'ESA', website: 'https://www.esa.int' }).website).toBe('https://www.esa.int')
  })
})

describe('formatting helpers', () => {
  it('formats dates in British English, independent of time zone', () => {
    expect(formatDate('2015-10-05')).toBe('5 October 2015')
    expect(formatDate('2018-01-31', 'month')).toBe('January 2018')
    expect(formatDate(null)).toBe('')
  })
  it('describes a file', () => {
    expect(fileInfo('.pdf', 2048)).toBe('PDF, 2.0 MB')
    expect(fileInfo('.pdf', 312.4)).toBe('PDF, 312 KB')
  })
  it('labels publication kinds', () => {
    expect(kindLabel('white_paper')).toBe('White paper')
    expect(kindLabel('nonsense')).toBe('Publication')
  })
  it('slugifies category names', () => {
    expect(slugify('Membership & participation')).toBe('membership-participation')
  })
})

describe('navigation links from the CMS', () => {
  it('keeps site paths and web, mail and phone links', () => {
    for (const href of [
      '/',
      '/about',
      '/news?page=2',
      '#main',
      'https://www.esa.int',
      'http://example.org/a',
      'mailto:secretariat@example.org',
      'tel:+31715653400',
    ]) {
      expect(isSafeHref(href), href).toBe(true)
    }
  })
  it('drops javascript:, data:, protocol-relative and malformed links', () => {
    for (const href of [
      'javascript:alert(1)',
      ' JavaScript:alert(1)',
      'data:text/html,<script>x</script>',
      '//evil.example',
      '/\\evil.example',
      'vbscript:x',
      'https://x.example/"onmouseover="x',
    ]) {
      expect(isSafeHref(href), href).toBe(false)
    }
    expect(toLinks([
      { label: 'Home', href: '/' },
      { label: 'Bad', href: 'javascript:alert(1)' },
      { label: '', href: '/x' },
    ]))
      .toEqual([
        { label: 'Home', href: '/' },
      ])
  })
})
