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

  it('continues the page outline: the body\'s top headings are h2, so the page keeps a single h1', () => {
    const html = renderMarkdown('# Title\n\n## Section')
    expect(html).toContain('<h2>Title</h2>')
    expect(html).toContain('<h3>Section</h3>')
    expect(html).not.toContain('<h1')
    // a body whose sections are written `##` (the topic pages) follows the page's h1 with h2
    expect(renderMarkdown('Intro.\n\n## What the group does\n\nText.')).toBe('<p>Intro.</p>\n<h2>What the group does</h2>\n<p>Text.</p>\n')
    expect(renderMarkdown('<h1 id="x" class="big">Raw</h1>')).toBe('<h2>Raw</h2>')
  })

  it('never skips a heading level', () => {
    expect(renderMarkdown('## A\n\n#### B\n\n## C')).toBe('<h2>A</h2>\n<h3>B</h3>\n<h2>C</h2>\n')
    // a body starting deeper than its later headings still starts at the top level
    expect(renderMarkdown('### A\n\n## B\n\n### C')).toBe('<h2>A</h2>\n<h2>B</h2>\n<h3>C</h3>\n')
    expect(renderMarkdown('# A\n\n### B\n\n###### C')).toBe('<h2>A</h2>\n<h3>B</h3>\n<h4>C</h4>\n')
  })

  it('starts at the level given for a body under a section heading', () => {
    expect(renderMarkdown('## A\n\n### B', { headingLevel: 3 })).toBe('<h3>A</h3>\n<h4>B</h4>\n')
    expect(renderMarkdown('# A\n\n## B\n\n### C', { headingLevel: 6 })).toBe('<h6>A</h6>\n<h6>B</h6>\n<h6>C</h6>\n')
    expect(renderMarkdown('No headings, a < b.', { headingLevel: 3 })).toBe('<p>No headings, a &lt; b.</p>\n')
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
