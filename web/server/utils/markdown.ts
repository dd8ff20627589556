import MarkdownIt from 'markdown-it'
import sanitizeHtml from 'sanitize-html'

const md = new MarkdownIt({ html: true, linkify: true, typographer: true })

const SAFE_SCHEMES = ['http', 'https', 'mailto', 'tel']

/**
 * Sanitiser options for CMS rich text. Markdown may contain raw HTML written by editors: it is kept
 * only if it is in this allow-list. Scripts, styles, iframes, event handlers (on*) and
 * `javascript:`/`data:` URLs are removed. Heading levels are set afterwards by `rankHeadings`.
 */
const options: sanitizeHtml.IOptions = {
  allowedTags: [
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'p',
    'br',
    'hr',
    'blockquote',
    'pre',
    'code',
    'ul',
    'ol',
    'li',
    'dl',
    'dt',
    'dd',
    'strong',
    'em',
    'b',
    'i',
    'u',
    's',
    'del',
    'ins',
    'sub',
    'sup',
    'small',
    'mark',
    'abbr',
    'cite',
    'q',
    'a',
    'img',
    'figure',
    'figcaption',
    'table',
    'thead',
    'tbody',
    'tfoot',
    'tr',
    'th',
    'td',
    'caption',
  ],
  allowedAttributes: {
    a: ['href', 'title', 'rel', 'target'],
    img: [
      'src',
      'alt',
      'title',
      'width',
      'height',
      'loading',
    ],
    abbr: ['title'],
    th: ['scope', 'colspan', 'rowspan'],
    td: ['colspan', 'rowspan'],
    ol: ['start'],
    code: ['class'],
  },
  allowedClasses: {
    code: [/^language-[\w-]+$/],
  },
  allowedSchemes: SAFE_SCHEMES,
  allowedSchemesByTag: {
    img: ['http', 'https'],
  },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    a: (tagName, attribs) => {
      const href = attribs.href ?? ''
      const external = /^https?:\/\//i.test(href)
      if (external) {
        return {
          tagName,
          attribs: { ...attribs, rel: 'noopener noreferrer', target: '_blank' },
        }
      }
      // any link that opens a new tab gets rel=noopener, internal ones included
      return {
        tagName,
        attribs: attribs.target
          ? { ...attribs, rel: 'noopener noreferrer' }
          : attribs,
      }
    },
    img: (tagName, attribs) => ({
      tagName,
      attribs: { ...attribs, loading: 'lazy', alt: attribs.alt ?? '' },
    }),
  },
}

/**
 * Sets the levels of a body's headings so that they continue the page's outline: the body's top
 * level becomes `top`, the levels below it follow in order, and no heading is more than one level
 * deeper than the heading before it (WCAG 1.3.1; a screen reader's list of headings has no gaps).
 * Editors may write `#` or `##` for a section, and `##` then `####`: both come out as h`top`,
 * h`top + 1`. Runs on sanitised HTML, where a heading tag is exactly `<hN>` or `</hN>` (headings
 * keep no attributes) and any other `<` is escaped.
 */
function rankHeadings(html: string, top: number): string {
  const used = [
    ...new Set([
      ...html.matchAll(/<h([1-6])>/g),
    ].map(match => Number(match[1]))),
  ].sort()
  let previous = top - 1
  return html.replace(/<(\/?)h([1-6])>/g, (_, closing: string, level: string) => {
    if (!closing)
      previous = Math.min(top + used.indexOf(Number(level)), previous + 1, 6)
    return `<${closing}h${previous}>`
  })
}

export interface RenderOptions {
  /**
   * Level of the body's top headings: one below the heading the body sits under. 2 (default) for a
   * body right under the page's <h1>, 3 inside a section headed by an <h2>, and so on.
   */
  headingLevel?: 2 | 3 | 4 | 5 | 6
}

/** Renders CMS markdown to HTML that is safe to insert with v-html. Runs on the server only. */
export function renderMarkdown(markdown: string | null | undefined, { headingLevel = 2 }: RenderOptions = {}): string {
  if (!markdown)
    return ''
  return rankHeadings(sanitizeHtml(md.render(markdown), options), headingLevel)
}

/** Plain text of a markdown string (for descriptions and feeds), at most `max` characters. */
export function markdownToText(markdown: string | null | undefined, max = 300): string {
  if (!markdown)
    return ''
  const text = sanitizeHtml(md.render(markdown), { allowedTags: [], allowedAttributes: {} })
    .replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({
      'amp': '&',
      'lt': '<',
      'gt': '>',
      'quot': '"',
      '#39': '\'',
    })[e] ?? '')
    .replace(/\s+/g, ' ')
    .trim()
  return text.length > max
    ? `${text.slice(0, max - 1).trimEnd()}…`
    : text
}
