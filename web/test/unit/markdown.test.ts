import { describe, expect, it } from 'vitest'
import { markdownToText, renderMarkdown } from '../../server/utils/markdown'

describe('renderMarkdown links', () => {
  it('adds rel=noopener to any link that opens a new tab, internal ones included', () => {
    const html = renderMarkdown('<a href="/publications" target="_blank">library</a>')
    expect(html).toContain('rel="noopener noreferrer"')
    expect(renderMarkdown('[about](/about)')).not.toContain('target=')
  })
})

describe('renderMarkdown', () => {
  it('renders markdown to HTML', () => {
    const html = renderMarkdown('Some **bold** text and a [link](https://www.esa.int).\n\n- one\n- two')
    expect(html).toContain('<strong>bold</strong>')
    expect(html).toContain('<ul>')
    expect(html).toContain('href="https://www.esa.int"')
  })

  it('removes script elements and their content', () => {
    const html = renderMarkdown('Hello <script>window.pwned = 1</script> world')
    expect(html).not.toMatch(/<script/i)
    expect(html).not.toContain('window.pwned')
  })

  it('removes event handler attributes', () => {
    const html = renderMarkdown('<img src="https://example.org/x.png" onerror="alert(1)"> <a href="/x" onclick="alert(2)">x</a>')
    expect(html).not.toMatch(/onerror|onclick|alert/i)
    expect(html).toContain('<img')
  })

  it('neutralises javascript: and data: links in markdown and raw HTML', () => {
    const html = renderMarkdown([
      '[md link](javascript:alert(1))',
      '<a href="javascript:alert(2)">raw</a>',
      '<a href="JaVaScRiPt&colon;alert(3)">entity</a>',
      '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCg0KTwvc2NyaXB0Pg==">data</a>',
    ].join('\n\n'))
    // The markdown link stays inert text; no element carries a script or data URL.
    expect(html).not.toMatch(/href\s*=\s*(?:["']\s*)?(javascript|data)/i)
    expect(html).not.toMatch(/<a [^>]*href[^>]*alert/i)
    expect(html).toContain('<a>raw</a>')
  })

  it('drops iframes, styles, forms and svg', () => {
    const html = renderMarkdown('<iframe src="https://evil.example"></iframe><style>body{display:none}</style><form><input></form><svg onload="alert(1)"></svg>')
    expect(html).not.toMatch(/<(iframe|style|form|input|svg)/i)
  })

  it('shifts headings down so the page keeps a single h1', () => {
    const html = renderMarkdown('# Title\n\n## Section')
    expect(html).toContain('<h2>Title</h2>')
    expect(html).toContain('<h3>Section</h3>')
    expect(html).not.toContain('<h1')
  })

  it('opens external links safely', () => {
    const html = renderMarkdown('[ESA](https://www.esa.int) and [news](/news)')
    expect(html).toContain('<a href="https://www.esa.int" rel="noopener noreferrer" target="_blank">ESA</a>')
    expect(html).toContain('<a href="/news">news</a>')
  })

  it('returns an empty string for empty input', () => {
    expect(renderMarkdown(null)).toBe('')
    expect(renderMarkdown('')).toBe('')
  })
})

describe('markdownToText', () => {
  it('strips markup and decodes entities', () => {
    expect(markdownToText('**R&D** <em>plans</em> for the Moon')).toBe('R&D plans for the Moon')
  })

  it('truncates long text with an ellipsis', () => {
    const text = markdownToText('word '.repeat(100), 40)
    expect(text.length).toBeLessThanOrEqual(40)
    expect(text.endsWith('…')).toBe(true)
  })
})
