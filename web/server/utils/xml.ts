/** Escapes text for XML element content and attribute values. */
export function xmlEscape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
}

/** Escapes text for HTML element content and quoted attribute values. */
export function htmlEscape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

/**
 * Plain text for a feed element that readers decode as HTML (RSS `<description>`): the text is
 * HTML-escaped, then XML-escaped. A reader first undoes the XML escaping and then parses the result
 * as HTML, so it shows the text as written (`<script>` included) and never runs it. Escaping once
 * would hand the reader live markup. If a feed ever needs real HTML, it must be rendered with
 * renderMarkdown (server/utils/markdown.ts), the sanitiser the pages use, and then XML-escaped.
 */
export function feedText(text: string): string {
  return xmlEscape(htmlEscape(text))
}

/** Absolute URL on the public site (NUXT_PUBLIC_SITE_URL). */
export function siteLink(siteUrl: string, path: string): string {
  return `${siteUrl.replace(/\/+$/, '')}${path.startsWith('/')
    ? path
    : `/${path}`}`
}
