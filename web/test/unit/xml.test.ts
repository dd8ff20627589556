import { parseFragment } from 'parse5'
import { describe, expect, it } from 'vitest'
import { feedText, htmlEscape, xmlEscape } from '../../server/utils/xml'
import { XSS_SUMMARIES } from '../support/xss'

/** What a feed reader does with <description>: undo the XML escaping, then parse the text as HTML. */
function readAsFeedReader(escaped: string) {
  const xmlDecoded = escaped.replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) =>
    ({
      amp: '&',
      lt: '<',
      gt: '>',
      quot: '"',
      apos: '\'',
    })[name]!)
  return parseFragment(xmlDecoded)
}

describe('feedText', () => {
  it('escapes for HTML first, then for XML', () => {
    expect(htmlEscape('<a href="x">Tom & Jerry\'s</a>')).toBe('&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;')
    expect(feedText('<script>')).toBe('&amp;lt;script&amp;gt;')
    expect(feedText('Fish & chips')).toBe('Fish &amp;amp; chips')
    expect(feedText('plain words')).toBe('plain words')
  })

  it.each(Object.entries(XSS_SUMMARIES))('leaves a feed reader nothing but the text for a %s payload', (_, payload) => {
    const fragment = readAsFeedReader(feedText(payload))
    expect(fragment.childNodes.map(node => node.nodeName)).toEqual(['#text'])
    expect((fragment.childNodes[0] as { value: string }).value).toBe(payload)
  })

  it('is what xmlEscape alone is not: escaped once, a reader would build elements', () => {
    const fragment = readAsFeedReader(xmlEscape(XSS_SUMMARIES.script))
    expect(fragment.childNodes.map(node => node.nodeName)).toContain('script')
  })
})
