import type { HtmlNode } from './html'
/**
 * Reading Content-Security-Policy headers and the scripts of served HTML, independently of the site's
 * own helpers (server/utils/security-headers.ts), so that tests check the site against the browser's
 * rules rather than against itself.
 */
import { createHash } from 'node:crypto'
import { parseHtmlDocument, walk } from './html'

/** Directive name → sources, e.g. `script-src` → [`'self'`, `'sha256-…'`]. */
export function parseCsp(header: string | null): Map<string, string[]> {
  const directives = new Map<string, string[]>()
  for (const part of (header ?? '').split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/)
    if (name && !directives.has(name.toLowerCase()))
      directives.set(name.toLowerCase(), sources)
  }
  return directives
}

export interface ServedScript {
  type: string
  src: string | null
  text: string
  /** Run by the browser, so under script-src (classic, module, import map, speculation rules). */
  executable: boolean
}

const RUN_TYPES = [
  '',
  'text/javascript',
  'application/javascript',
  'module',
  'importmap',
  'speculationrules',
]

/** Every <script> of a served page, as a browser's HTML parser sees it. */
export function servedScripts(html: string): ServedScript[] {
  return [
    ...walk(parseHtmlDocument(html)),
  ]
    .filter(node => node.tagName === 'script')
    .map((node: HtmlNode) => {
      const attribute = (name: string) => node.attrs?.find(attr => attr.name === name)?.value ?? null
      const type = (attribute('type') ?? '').trim().toLowerCase()
      return {
        type,
        src: attribute('src'),
        text: (node.childNodes ?? []).map(child => child.value ?? '').join(''),
        executable: RUN_TYPES.includes(type),
      }
    })
}

/** The CSP source a browser would accept for this inline script. */
export const sha256Source = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`
