/**
 * Security headers of every site response (see server/plugins/security-headers.ts for where they are
 * set, and why the site does not use the nuxt-security module). The functions here are pure, so that
 * they can be unit tested without a server.
 */
import { createHash } from 'node:crypto'
import { parse } from 'parse5'

/**
 * Per-request security options, set on `event.context.security` by a route or middleware before the
 * page renders. The preview of drafts sets it (server/middleware/preview.ts), so that the CMS admin
 * may frame its pages (`{ frameAncestors: [cmsAdminOrigin] }`), and removes the X-Frame-Options the
 * `request` hook already set. A framable page must not be cached (preview pages never are): cached
 * pages keep the headers they were rendered with.
 */
export interface SiteSecurityContext {
  /** Origins allowed to frame the response. Absent or empty: none (`frame-ancestors 'none'`, `X-Frame-Options: DENY`). */
  frameAncestors?: string[]
}

declare module 'h3' {
  interface H3EventContext {
    security?: SiteSecurityContext
  }
}

export interface SecurityConfig {
  /** The public site URL (NUXT_PUBLIC_SITE_URL) is https: send HSTS and upgrade-insecure-requests. */
  https: boolean
  /** Origin of NUXT_PUBLIC_MEDIA_URL, when media are not served by this site's /uploads proxy. */
  mediaOrigin: string | null
}

/** The origin of an http(s) URL, or null (empty, malformed or another scheme). */
export function httpOrigin(url: string | undefined | null): string | null {
  if (!url)
    return null
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'https:' || parsed.protocol === 'http:'
      ? parsed.origin
      : null
  }
  catch {
    return null
  }
}

export function securityConfig(publicConfig: { siteUrl?: string, mediaUrl?: string }): SecurityConfig {
  return {
    https: httpOrigin(publicConfig.siteUrl)?.startsWith('https:') ?? false,
    mediaOrigin: httpOrigin(publicConfig.mediaUrl),
  }
}

/** Powerful browser features the site never uses, switched off for it and anything it embeds. */
const PERMISSIONS_POLICY = [
  'accelerometer',
  'autoplay',
  'camera',
  'display-capture',
  'encrypted-media',
  'geolocation',
  'gyroscope',
  'hid',
  'magnetometer',
  'microphone',
  'midi',
  'payment',
  'picture-in-picture',
  'publickey-credentials-get',
  'screen-wake-lock',
  'serial',
  'usb',
  'xr-spatial-tracking',
].map(feature => `${feature}=()`).join(', ')

const policy = (directives: (string | false)[]) => directives.filter(Boolean).join('; ')

function frameAncestorsDirective(frameAncestors: string[] | undefined) {
  const origins = (frameAncestors ?? []).map(httpOrigin).filter((origin): origin is string => origin !== null)
  return `frame-ancestors ${origins.length
    ? origins.join(' ')
    : '\'none\''}`
}

/**
 * CSP of responses that are not pages (JSON, feeds, sitemap, media, scripts, error JSON): nothing in
 * them may run, load or submit anything, should a browser ever open one as a document (an SVG or HTML
 * file uploaded to the CMS, say). Inline styles and images stay allowed so that such a file still
 * displays.
 */
export function resourcePolicy(frameAncestors?: string[]): string {
  return policy([
    'default-src \'none\'',
    'img-src \'self\' data:',
    'style-src \'unsafe-inline\'',
    'base-uri \'none\'',
    'form-action \'none\'',
    frameAncestorsDirective(frameAncestors),
  ])
}

export interface InlineScripts {
  /** CSP hash sources (`'sha256-…'`) of the executable inline scripts, in document order, without duplicates. */
  hashes: string[]
  /** Whether the markup loads or runs any script at all (inline or `src`). */
  any: boolean
}

/**
 * The CSP of a rendered page: its scripts may only be the site's own files and the inline scripts
 * whose hashes are listed.
 *
 * - `script-src 'self' 'sha256-…'`: no 'unsafe-inline', no nonce. The hashes are those of the inline
 *   scripts Nuxt put in this very HTML (the import map, the runtime config, the `js` class switch),
 *   so the header fits the bytes it is stored with in the page cache. A page without scripts (route
 *   rule `noScripts`) gets `script-src 'none'`. 'wasm-unsafe-eval' lets WebAssembly compile (not
 *   JavaScript eval): @nuxt/content runs its queries in SQLite compiled to WebAssembly when the legal
 *   pages are reached by client-side navigation.
 * - `style-src 'self' 'unsafe-inline'`: Nuxt inlines each page's CSS in <style> tags
 *   (features.inlineStyles, for render speed) and Vue renders style attributes; hashing every
 *   style attribute is not possible without 'unsafe-hashes'. Styles cannot run script, and CMS rich
 *   text keeps no <style> nor style attributes (server/utils/markdown.ts).
 * - images and media from this site (the /uploads proxy) and the configured media origin only.
 */
export function documentPolicy(config: SecurityConfig, scripts: InlineScripts, frameAncestors?: string[]): string {
  const media = config.mediaOrigin
    ? ` ${config.mediaOrigin}`
    : ''
  return policy([
    'default-src \'self\'',
    scripts.any
      ? ['script-src \'self\'', ...scripts.hashes, '\'wasm-unsafe-eval\''].join(' ')
      : 'script-src \'none\'',
    'script-src-attr \'none\'',
    'style-src \'self\' \'unsafe-inline\'',
    `img-src 'self'${media}`,
    `media-src 'self'${media}`,
    'font-src \'self\'',
    'connect-src \'self\'',
    'frame-src \'none\'',
    'object-src \'none\'',
    'base-uri \'none\'',
    'form-action \'self\'',
    frameAncestorsDirective(frameAncestors),
    config.https && 'upgrade-insecure-requests',
  ])
}

/**
 * Headers for every response; `content-security-policy` is the resource policy, which rendered pages
 * replace with their {@link documentPolicy}.
 */
export function securityHeaders(config: SecurityConfig, frameAncestors?: string[]): Record<string, string> {
  const framable = (frameAncestors ?? []).some(origin => httpOrigin(origin))
  return {
    'content-security-policy': resourcePolicy(frameAncestors),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
    'permissions-policy': PERMISSIONS_POLICY,
    // X-Frame-Options cannot name an origin: browsers that know frame-ancestors ignore it anyway.
    ...(framable
      ? {}
      : { 'x-frame-options': 'DENY' }),
    ...(config.https
      ? { 'strict-transport-security': 'max-age=31536000' }
      : {}),
  }
}

/** `'sha256-…'` CSP source of a script's text, as the browser hashes it (after newline normalisation). */
export function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text.replace(/\r\n?/g, '\n'), 'utf8').digest('base64')}'`
}

const JAVASCRIPT_TYPES = /^(?:module|importmap|speculationrules|(?:text|application)\/(?:x-)?(?:java|ecma)script|text\/(?:jscript|livescript)|text\/javascript1\.[0-5])?$/

/**
 * Whether a <script> with this `type` is run (or, for import maps and speculation rules, read) by the
 * browser and so falls under script-src. Data blocks (application/json, application/ld+json) do not.
 */
export function isExecutableScriptType(type: string | undefined): boolean {
  return JAVASCRIPT_TYPES.test((type ?? '').trim().toLowerCase())
}

interface ParsedNode { nodeName: string, attrs?: { name: string, value: string }[], childNodes?: ParsedNode[], value?: string }

function* scriptElements(node: ParsedNode): Generator<ParsedNode> {
  if (node.nodeName === 'script')
    yield node
  // a <template>'s content is inert (parse5 keeps it apart from childNodes): not visited
  for (const child of node.childNodes ?? []) yield* scriptElements(child)
}

/**
 * The scripts of the markup Nuxt and unhead render in <head> and at the end of <body>, found with a
 * spec-compliant HTML parser (parse5), i.e. as the browser will find them: `<script>` written inside
 * an attribute value (a meta description taken from the CMS, say) is text, not a script. Never give
 * it the page body, which holds CMS content: a script there must stay blocked, not be hashed.
 */
export function inlineScripts(head: string[], bodyEnd: string[]): InlineScripts {
  const document = parse(`<!DOCTYPE html><html><head>${head.join('')}</head><body>${bodyEnd.join('')}</body></html>`) as unknown as ParsedNode
  const hashes = new Set<string>()
  let any = false
  for (const script of scriptElements(document)) {
    const attribute = (name: string) => script.attrs?.find(attr => attr.name === name)?.value
    if (!isExecutableScriptType(attribute('type')))
      continue
    any = true
    if (attribute('src') === undefined)
      hashes.add(cspHash((script.childNodes ?? []).map(text => text.value ?? '').join('')))
  }
  return {
    hashes: [...hashes],
    any,
  }
}
