/** Unit tests of the Private Area's pure parts: site key and addresses, mails, passwords, headers. */
import { afterEach, describe, expect, it } from 'vitest'
import { passwordProblem } from '../src/api/member-auth/controllers/member-auth'
import { contentDisposition } from '../src/api/member-file/controllers/member-file'
import { uploadsUrl } from '../src/middlewares/protected-uploads'
import { invitationMail, renderHtml, renderText, resetMail } from '../src/private-area/mail'
import { namesEntry } from '../src/private-area/members'
import { clientAddress, isSiteRequest, siteUrl } from '../src/private-area/site'

const KEY = 'k'.repeat(40)
const saved = { ...process.env }
afterEach(() => {
  for (const name of ['SITE_API_KEY', 'SITE_URL', 'NODE_ENV']) {
    if (saved[name] === undefined)
      delete process.env[name]
    else process.env[name] = saved[name]
  }
})

function request(headers: Record<string, string>, remoteAddress = '::ffff:10.1.2.3') {
  return {
    request: { headers },
    req: {
      socket: { remoteAddress },
    },
  }
}

describe('the site\'s key and the client address', () => {
  it('accepts only the configured key, of at least 32 characters', () => {
    process.env.SITE_API_KEY = KEY
    expect(isSiteRequest(request({ 'x-site-key': KEY }))).toBe(true)
    expect(isSiteRequest(request({ 'x-site-key': `${KEY}x` }))).toBe(false)
    expect(isSiteRequest(request({}))).toBe(false)
    process.env.SITE_API_KEY = 'short'
    expect(isSiteRequest(request({ 'x-site-key': 'short' }))).toBe(false)
  })

  it('believes X-Forwarded-For only with the key, and takes its left-most address', () => {
    process.env.SITE_API_KEY = KEY
    expect(clientAddress(request({ 'x-forwarded-for': '203.0.113.7, 10.0.0.1' }))).toBe('10.1.2.3')
    expect(clientAddress(request({ 'x-forwarded-for': '203.0.113.7, 10.0.0.1', 'x-site-key': KEY }))).toBe('203.0.113.7')
    expect(clientAddress(request({ 'x-forwarded-for': 'not-an-address', 'x-site-key': KEY }))).toBe('10.1.2.3')
  })

  it('requires SITE_URL in production and strips its trailing slash', () => {
    process.env.SITE_URL = 'https://www.isecg.example/'
    expect(siteUrl()).toBe('https://www.isecg.example')
    delete process.env.SITE_URL
    process.env.NODE_ENV = 'development'
    expect(siteUrl()).toBe('http://localhost:3000')
    process.env.NODE_ENV = 'production'
    expect(() => siteUrl()).toThrow(/SITE_URL/)
  })
})

describe('mails', () => {
  it('escape what editors typed and link to the site only', () => {
    process.env.SITE_URL = 'https://www.isecg.example'
    const mail = invitationMail({
      email: 'a@b.example',
      fullName: '<img src=x onerror=alert(1)>',
      agency: { name: 'A & B' },
    }, 'T'.repeat(43))
    const html = renderHtml(mail)
    expect(html).not.toContain('<img src=x')
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;')
    expect(html).toContain('A &amp; B')
    expect(html).toContain('#0b1f3a')
    expect(renderText(mail)).toContain(`https://www.isecg.example/private-area/invitation/${'T'.repeat(43)}`)
    expect(resetMail({ email: 'a@b.example' }, 'r'.repeat(43)).action.url).toBe(`https://www.isecg.example/private-area/reset-password/${'r'.repeat(43)}`)
  })
})

describe('small rules', () => {
  it('asks for passwords of 12 characters to 72 bytes', () => {
    expect(passwordProblem('eleven-char')).toBeDefined()
    expect(passwordProblem(12)).toBeDefined()
    expect(passwordProblem('twelve-chars')).toBeUndefined()
    expect(passwordProblem('é'.repeat(37))).toBeDefined()
  })

  it('names files in Content-Disposition safely', () => {
    expect(contentDisposition('minutes "final".pdf')).toBe('attachment; filename="minutes _final_.pdf"; filename*=UTF-8\'\'minutes%20%22final%22.pdf')
  })

  it('reads every relation input form', () => {
    expect(namesEntry(3)).toBe(true)
    expect(namesEntry('abc')).toBe(true)
    expect(namesEntry({
      connect: [
        { id: 3 },
      ],
    })).toBe(true)
    expect(namesEntry({ connect: [], disconnect: [] })).toBe(false)
    expect(namesEntry({
      set: [
        { documentId: 'x' },
      ],
    })).toBe(true)
    expect(namesEntry(null)).toBe(false)
  })

  it.each([
    ['/uploads/a.png', '/uploads/a.png'],
    ['/%75ploads/a.png', '/uploads/a.png'],
    ['//uploads/a.png', '/uploads/a.png'],
    ['/x/../uploads/a.png', '/uploads/a.png'],
    ['/uploads/%2e%2e/admin', undefined],
    ['/api/x', undefined],
    ['/uploads', '/uploads'],
  ])('finds the /uploads URL a path reads: %s', (path, expected) => {
    expect(uploadsUrl(path)).toBe(expected)
  })
})
