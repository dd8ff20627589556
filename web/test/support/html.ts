/**
 * Inspecting HTML the way a browser would, with a real HTML parser (parse5): what elements and
 * attributes a string of markup turns into, and which of them could run code.
 */
import { parse, parseFragment } from 'parse5'

export interface HtmlNode {
  nodeName: string
  tagName?: string
  attrs?: { name: string, value: string }[]
  value?: string
  childNodes?: HtmlNode[]
  content?: HtmlNode
}

export function* walk(node: HtmlNode): Generator<HtmlNode> {
  yield node
  for (const child of node.childNodes ?? []) yield* walk(child)
  // <template> keeps its children in a separate fragment
  if (node.content)
    yield* walk(node.content)
}

export const parseHtmlFragment = (html: string) => parseFragment(html) as unknown as HtmlNode
export const parseHtmlDocument = (html: string) => parse(html) as unknown as HtmlNode

/** Elements that run code, load active content or submit data by themselves. */
const ACTIVE_ELEMENTS = new Set([
  'script',
  'iframe',
  'frame',
  'object',
  'embed',
  'applet',
  'form',
  'base',
  'meta',
  'link',
  'svg',
  'math',
])
const URL_ATTRIBUTES = new Set([
  'href',
  'src',
  'action',
  'formaction',
  'data',
  'xlink:href',
  'srcdoc',
  'poster',
  'background',
])

/** Everything in parsed markup that could execute (empty for inert markup). */
export function executableMarkup(root: HtmlNode): string[] {
  const found: string[] = []
  for (const node of walk(root)) {
    if (!node.tagName)
      continue
    if (ACTIVE_ELEMENTS.has(node.tagName))
      found.push(`<${node.tagName}>`)
    for (const { name, value } of node.attrs ?? []) {
      if (/^on/i.test(name))
        found.push(`${node.tagName}[${name}]`)
      // URL parsers ignore leading spaces and control characters, and tabs or newlines anywhere
      // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
      const url = value.replace(/[\u0000-\u0020]/g, '').toLowerCase()
      if (URL_ATTRIBUTES.has(name) && /^(?:javascript|data|vbscript):/.test(url))
        found.push(`${node.tagName}[${name}=${url.split(':')[0]}:]`)
      if (name === 'srcdoc')
        found.push(`${node.tagName}[srcdoc]`)
    }
  }
  return found
}

/** The text a parsed fragment shows (text nodes only, in order). */
export function textOf(root: HtmlNode): string {
  let text = ''
  for (const node of walk(root)) {
    if (node.nodeName === '#text')
      text += node.value ?? ''
  }
  return text
}
