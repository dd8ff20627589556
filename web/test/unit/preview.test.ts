import { describe, expect, it } from 'vitest'
import { pageCacheDriver } from '../../server/utils/page-cache-driver'
import { openPreview, PREVIEW_MAX_AGE_SECONDS, previewPath, previewSecretMatches, sealPreview } from '../../server/utils/preview'

const SECRET = 'a-preview-secret-of-at-least-32-characters'

describe('preview paths', () => {
  it('keeps site-relative paths, normalised as a browser would request them', () => {
    expect(previewPath('/news/lunar-gateway')).toBe('/news/lunar-gateway')
    expect(previewPath('/')).toBe('/')
    expect(previewPath('/faq#what-is-isecg')).toBe('/faq#what-is-isecg')
    expect(previewPath('/publications?kind=roadmap&year=2024')).toBe('/publications?kind=roadmap&year=2024')
    expect(previewPath('/news/./a/../b')).toBe('/news/b')
    expect(previewPath('/actualités')).toBe('/actualit%C3%A9s')
    // percent-encoded slashes are path characters, not a second slash
    expect(previewPath('/%2F%2Fevil.com')).toBe('/%2F%2Fevil.com')
  })

  it('refuses anything that could leave the site or smuggle a header', () => {
    for (const value of [
      '//evil.com',
      '///evil.com',
      '/\\evil.com',
      '\\/evil.com',
      '/news/..//evil.com',
      '/.//evil.com',
      '/news/%2e%2e//evil.com',
      'https://evil.com',
      'http:evil.com',
      'javascript:alert(1)',
      ' javascript:alert(1)',
      'data:text/html,x',
      'evil.com',
      'news',
      '/\t/evil.com',
      '/\n/evil.com',
      '/news\r\nSet-Cookie: a=b',
      '/news\u0000',
      '/news\u001B',
      '/news\u007F',
      '/news\u0085',
      '/news\u00A0',
      '/news\u2028',
      '/news\\slug',
      '/news slug',
      '',
      `/${'a'.repeat(2048)}`,
      undefined,
      null,
      ['/news'],
      42,
    ]) expect(previewPath(value), JSON.stringify(value)).toBeNull()
  })
})

describe('preview secret and cookie', () => {
  it('compares the secret in constant time and accepts no missing or short configured secret', () => {
    expect(previewSecretMatches(SECRET, SECRET)).toBe(true)
    expect(previewSecretMatches(`${SECRET}x`, SECRET)).toBe(false)
    expect(previewSecretMatches(SECRET.slice(0, -1), SECRET)).toBe(false)
    expect(previewSecretMatches(undefined, SECRET)).toBe(false)
    expect(previewSecretMatches([SECRET], SECRET)).toBe(false)
    expect(previewSecretMatches('', '')).toBe(false)
    expect(previewSecretMatches('short', 'short')).toBe(false)
  })

  it('opens only cookies it sealed with the same secret, unaltered and unexpired', () => {
    const now = 1_800_000_000_000
    const session = { status: 'draft' as const, expiresAt: now + 60_000 }
    const sealed = sealPreview(SECRET, session)
    expect(openPreview(SECRET, sealed, now)).toEqual(session)
    expect(openPreview(SECRET, sealPreview(SECRET, { status: 'published', expiresAt: now + 1 }), now)).toEqual({ status: 'published', expiresAt: now + 1 })

    const [version, status, expires, signature] = sealed.split('.')
    for (const value of [
      undefined,
      '',
      'v1',
      `${version}.published.${expires}.${signature}`,
      `${version}.${status}.${Number(expires) + 1}.${signature}`,
      `v2.${status}.${expires}.${signature}`,
      `${sealed}x`,
      `${version}.${status}.${expires}.${'A'.repeat(43)}`,
      sealPreview(`${SECRET}-other`, session),
    ]) expect(openPreview(SECRET, value, now), String(value)).toBeNull()

    expect(openPreview(SECRET, sealed, session.expiresAt)).toBeNull() // expired
    expect(openPreview(SECRET, sealPreview(SECRET, { status: 'draft', expiresAt: now + PREVIEW_MAX_AGE_SECONDS * 1000 + 1 }), now)).toBeNull()
    expect(openPreview('short', sealPreview('short', session), now)).toBeNull()
  })
})

describe('page cache under a preview', () => {
  it('keeps the cached public page when Nitro drops the entry of a response rendered for a preview', () => {
    let preview = false
    const driver = pageCacheDriver({
      maxEntries: 10,
      context: () => ({ bypass: preview, variant: false }),
    })
    driver.setItem('page', JSON.stringify({
      value: { code: 200, headers: {}, body: '<html>public</html>' },
    }))
    preview = true
    driver.removeItem('page')
    preview = false
    expect((driver.getItem('page') as { value: { body: string } }).value.body).toBe('<html>public</html>')
    driver.removeItem('page')
    expect(driver.getItem('page')).toBeNull()
  })
})
