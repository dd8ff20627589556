import { describe, expect, it } from 'vitest'
import {
  cspHash,
  documentPolicy,
  httpOrigin,
  inlineScripts,
  isExecutableScriptType,
  resourcePolicy,
  securityConfig,
  securityHeaders,
} from '../../server/utils/security-headers'
import { parseCsp } from '../support/csp'

const https = securityConfig({ siteUrl: 'https://www.isecg.example', mediaUrl: '' })
const http = securityConfig({ siteUrl: 'http://localhost:3000', mediaUrl: 'https://cdn.isecg.example/media/' })

describe('securityConfig', () => {
  it('reads https from the public site URL and the origin of the media URL', () => {
    expect(https).toEqual({ https: true, mediaOrigin: null })
    expect(http).toEqual({ https: false, mediaOrigin: 'https://cdn.isecg.example' })
    expect(securityConfig({ siteUrl: 'not a url', mediaUrl: 'javascript:alert(1)' })).toEqual({ https: false, mediaOrigin: null })
  })

  it('keeps only http(s) origins', () => {
    expect(httpOrigin('https://cms.isecg.example/admin/')).toBe('https://cms.isecg.example')
    expect(httpOrigin('data:text/html,x')).toBeNull()
    expect(httpOrigin('')).toBeNull()
  })
})

describe('securityHeaders', () => {
  it('sends HSTS only for an https site', () => {
    expect(securityHeaders(https)['strict-transport-security']).toBe('max-age=31536000')
    expect(securityHeaders(http)).not.toHaveProperty('strict-transport-security')
  })

  it('sets nosniff, the referrer policy, the permissions policy, and refuses framing', () => {
    const headers = securityHeaders(http)
    expect(headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'strict-origin-when-cross-origin',
      'x-frame-options': 'DENY',
    })
    expect(headers['permissions-policy']).toMatch(/(^|, )camera=\(\)(,|$)/)
    expect(parseCsp(headers['content-security-policy']!).get('frame-ancestors')).toEqual(['\'none\''])
  })

  it('lets a route allow framing by named origins (the preview seam), and then drops X-Frame-Options', () => {
    const headers = securityHeaders(https, ['https://cms.isecg.example/admin', 'javascript:alert(1)'])
    expect(headers).not.toHaveProperty('x-frame-options')
    expect(parseCsp(headers['content-security-policy']!).get('frame-ancestors')).toEqual(['https://cms.isecg.example'])
    expect(securityHeaders(https, ['not an origin'])['x-frame-options']).toBe('DENY')
  })
})

describe('resourcePolicy', () => {
  it('lets nothing run, load or submit', () => {
    const csp = parseCsp(resourcePolicy())
    expect(csp.get('default-src')).toEqual(['\'none\''])
    expect(csp.get('form-action')).toEqual(['\'none\''])
    expect(csp.has('script-src')).toBe(false)
  })
})

describe('documentPolicy', () => {
  const scripts = {
    hashes: ['\'sha256-AAAA\'', '\'sha256-BBBB\''],
    any: true,
  }

  it('allows the site\'s script files and the listed inline scripts, never inline scripts in general', () => {
    const csp = parseCsp(documentPolicy(https, scripts))
    expect(csp.get('script-src')).toEqual([
      '\'self\'',
      '\'sha256-AAAA\'',
      '\'sha256-BBBB\'',
      '\'wasm-unsafe-eval\'',
    ])
    expect(csp.get('script-src-attr')).toEqual(['\'none\''])
    expect(csp.get('object-src')).toEqual(['\'none\''])
    expect(csp.get('base-uri')).toEqual(['\'none\''])
    expect(csp.get('frame-ancestors')).toEqual(['\'none\''])
    expect(csp.get('style-src')).toEqual(['\'self\'', '\'unsafe-inline\''])
    expect(csp.has('upgrade-insecure-requests')).toBe(true)
  })

  it('gives a page without scripts script-src \'none\'', () => {
    expect(parseCsp(documentPolicy(https, { hashes: [], any: false })).get('script-src')).toEqual(['\'none\''])
  })

  it('allows images and media from the configured media origin only', () => {
    const csp = parseCsp(documentPolicy(http, scripts))
    expect(csp.get('img-src')).toEqual(['\'self\'', 'https://cdn.isecg.example'])
    expect(csp.get('media-src')).toEqual(['\'self\'', 'https://cdn.isecg.example'])
    expect(csp.has('upgrade-insecure-requests')).toBe(false)
    expect(parseCsp(documentPolicy(https, scripts)).get('img-src')).toEqual(['\'self\''])
  })

  it('names the framing origins of the preview seam', () => {
    expect(parseCsp(documentPolicy(https, scripts, ['https://cms.isecg.example'])).get('frame-ancestors')).toEqual(['https://cms.isecg.example'])
  })
})

describe('inlineScripts', () => {
  it('hashes each executable inline script once, as the browser does (SHA-256 of its text, base64)', () => {
    const found = inlineScripts(
      ['<script type="importmap">{"imports":{}}</script><script>document.documentElement.classList.add("js")</script><script type="module" src="/_nuxt/entry.js" crossorigin></script>'],
      ['<script>window.__NUXT__={}</script><script type="application/json" id="__NUXT_DATA__">[1]</script><script type="application/ld+json">{}</script><script>window.__NUXT__={}</script>'],
    )
    expect(found.any).toBe(true)
    expect(found.hashes).toEqual([
      cspHash('{"imports":{}}'),
      cspHash('document.documentElement.classList.add("js")'),
      cspHash('window.__NUXT__={}'),
    ])
    expect(cspHash('document.documentElement.classList.add("js")')).toBe('\'sha256-qOhFsq0QMV2REqNwk5hGH5bZE9SkX6gt6yeyKdYPv+U=\'')
  })

  it('treats script text in attribute values, titles, styles, comments and templates as text', () => {
    const found = inlineScripts([
      '<meta name="description" content="Agenda <script>alert(1)</script>">',
      '<title>&lt;script&gt;alert(2)&lt;/script&gt; <script>alert(3)</script></title>',
      '<style>a::after { content: "<script>alert(4)</script>" }</style>',
      '<!-- <script>alert(5)</script> -->',
      '<template><script>alert(6)</script></template>',
    ], [])
    expect(found).toEqual({ hashes: [], any: false })
  })

  it('counts external scripts as scripts, without a hash', () => {
    expect(inlineScripts(['<script src="/_nuxt/a.js" defer></script>'], [])).toEqual({ hashes: [], any: true })
  })

  it('knows which script types run', () => {
    for (const type of [
      undefined,
      '',
      'module',
      'text/javascript',
      'application/javascript',
      'importmap',
      ' TEXT/JavaScript ',
    ]) {
      expect(isExecutableScriptType(type), String(type)).toBe(true)
    }
    for (const type of [
      'application/json',
      'application/ld+json',
      'text/template',
      'text/plain',
    ]) {
      expect(isExecutableScriptType(type), type).toBe(false)
    }
  })
})
