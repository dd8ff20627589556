import MarkdownIt from 'markdown-it'
import sanitizeHtml from 'sanitize-html'

const md = new MarkdownIt({ html: true, linkify: true, typographer: true })

const SAFE_SCHEMES = ['http', 'https', 'mailto', 'tel']

/**
 * Sanitiser options for CMS rich text. Markdown may contain raw HTML written by editors: it is kept
 * only if it is in this allow-list. Scripts, styles, iframes, event handlers (on*) and
 * `javascript:`/`data:` URLs are removed. Headings are shifted down one level so that a body's
 * `# Heading` does not compete with the page's own <h1>.
 */
const options: sanitizeHtml.IOptions = {
  allowedTags: [
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
    h1: 'h2',
    h2: 'h3',
    h3: 'h4',
    h4: 'h5',
    h5: 'h6',
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

/** Renders CMS markdown to HTML that is safe to insert with v-html. Runs on the server only. */
export function renderMarkdown(markdown: string | null | undefined): string {
  if (!markdown)
    return ''
  return sanitizeHtml(md.render(markdown), options)
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
