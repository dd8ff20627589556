import type { CmsInstance } from '../../../cms/tests/harness'
import type { AdminSession } from '../../../cms/tests/support/admin'
import type { Mailbox } from '../../../cms/tests/support/mailbox'
import type { CmsProxy } from '../support/cms-proxy'
import type { SiteInstance } from '../support/site'
import type { Visitor } from '../support/visitor'
/**
 * The Private Area through the built site, against a real CMS that mails through a real SMTP
 * server in this process (docs/private-area.md): invitation to download to sign-out, the
 * documents' filters, sign-in errors and rate limiting, CSRF, the page cache with member sessions,
 * and protected files under /uploads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { memberDocuments, membersOnlyNews, membersOnlyPublications } from '../../../cms/src/seed/fixtures/private-area'
import { startCms } from '../../../cms/tests/harness'
import { signInAsAdmin } from '../../../cms/tests/support/admin'
import { linkIn, startMailbox } from '../../../cms/tests/support/mailbox'
import { createMember } from '../../../cms/tests/support/members'
import { startCmsProxy } from '../support/cms-proxy'
import { escapeHtml, fileLinkAfter, inviteMember, solidPng, storedFile } from '../support/members'
import { startSite } from '../support/site'
import { createVisitor } from '../support/visitor'

const SITE_URL = 'https://www.isecg.example'
const PASSWORD = 'Lunar-gateway-2026'
const JWT_PATTERN = /eyJ[\w-]+\.eyJ[\w-]+\./

let mailbox: Mailbox
let cms: CmsInstance
let proxy: CmsProxy
let site: SiteInstance
let admin: AdminSession

beforeAll(async () => {
  mailbox = await startMailbox()
  cms = await startCms({
    env: {
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(mailbox.port),
      SITE_URL,
    },
  })
  proxy = await startCmsProxy(cms.url)
  site = await startSite({ cmsUrl: proxy.url, siteUrl: SITE_URL, siteKey: cms.siteKey })
  admin = await signInAsAdmin(cms)
})

afterAll(async () => {
  await site?.stop()
  await proxy?.stop()
  await cms?.stop()
  await mailbox?.close()
})

/** A visitor signed in through the sign-in form as a member made in the CMS. */
async function signedInMember(email: string, fullName = 'Test Member'): Promise<Visitor> {
  await createMember(cms.strapi, { email, password: PASSWORD, fullName })
  const visitor = createVisitor(site.url)
  await visitor.get('/private-area/sign-in')
  const answer = await visitor.post('/api/private-area/sign-in', { email, password: PASSWORD })
  expect(answer.status).toBe(303)
  expect(answer.location).toBe('/private-area')
  return visitor
}

const minutes = memberDocuments.find(d => d.kind === 'minutes')!
const presentation = memberDocuments.find(d => d.kind === 'presentation')!

describe('private area: invitation to sign-out', () => {
  it('invites a member by mail; the link sets a password and signs them in; they read members-only content, download a document, and after signing out the download is refused', async () => {
    const email = 'ada.lovelace@esa.example'
    await inviteMember(cms, admin, email, 'Ada Lovelace')
    const mail = await mailbox.waitFor(email)
    const link = linkIn(mail, 'invitation')
    expect(link.url).toBe(`${SITE_URL}/private-area/invitation/${link.token}`)

    const visitor = createVisitor(site.url)
    const form = await visitor.get(`/private-area/invitation/${link.token}`)
    expect(form.status).toBe(200)
    expect(form.headers.get('cache-control')).toBe('private, no-store')
    expect(form.text).toContain(email)
    expect(form.text).toContain('action="/api/private-area/invitation"')
    expect(form.text).not.toMatch(/<script/)

    const accepted = await visitor.post('/api/private-area/invitation', { token: link.token, password: PASSWORD, confirm: PASSWORD })
    expect(accepted.status).toBe(303)
    expect(accepted.location).toBe('/private-area')
    const cookie = accepted.setCookies.find(c => c.startsWith('isecg-session='))!
    expect(cookie).toMatch(/;\s*HttpOnly/i)
    expect(cookie).toMatch(/;\s*SameSite=Lax/i)
    expect(cookie).toMatch(/;\s*Secure/i) // the site's URL is https
    expect(decodeURIComponent(cookie)).not.toMatch(JWT_PATTERN) // sealed, not a readable token

    const area = await visitor.visit('/private-area')
    expect(area.status).toBe(200)
    expect(area.headers.get('cache-control')).toBe('private, no-store')
    expect(area.text).toContain('Welcome to the ISECG Private Area')
    expect(area.text).toContain('Ada Lovelace')
    for (const title of [minutes.title, membersOnlyPublications[0]!.title, membersOnlyNews[0]!.title])
      expect(area.text).toContain(escapeHtml(title))
    expect(area.text).not.toMatch(JWT_PATTERN)
    expect(area.text).not.toMatch(/<script/)
    // member files are linked through the site, never /uploads (the footer's public brochure is)
    expect(area.text.slice(area.text.indexOf('<main'), area.text.indexOf('</main>'))).not.toContain('/uploads/')

    // a member document and a members-only publication, streamed through the site
    for (const title of [minutes.title, membersOnlyPublications[0]!.title]) {
      const href = fileLinkAfter(area.text, title)
      const stored = await storedFile(cms, Number(href.split('/').pop()))
      const download = await visitor.get(href)
      expect(download.status, title).toBe(200)
      expect(download.headers.get('cache-control')).toBe('private, no-store')
      expect(download.headers.get('content-type')).toContain(stored.mime)
      expect(download.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="${stored.name.replace(/\./g, '\\.')}"`))
      expect(download.headers.get('x-content-type-options')).toBe('nosniff')
      expect(download.setCookies).toEqual([])
      expect(download.bytes.equals(stored.bytes)).toBe(true)
    }

    const href = fileLinkAfter(area.text, minutes.title)
    const signOut = await visitor.post('/api/private-area/sign-out', {})
    expect(signOut.status).toBe(303)
    expect(signOut.location).toBe('/private-area/sign-in')
    expect(visitor.cookies.has('isecg-session')).toBe(false)
    expect((await visitor.visit('/private-area/sign-in')).text).toContain('You have signed out.')

    const refused = await visitor.get(href)
    expect(refused.status).toBe(303)
    expect(refused.location).toBe(`/private-area/sign-in?next=${encodeURIComponent(href)}`)
    expect(refused.bytes.length).toBeLessThan(1000)
    expect((await visitor.get(href, { accept: '*/*' })).status).toBe(404)
    const after = await visitor.visit('/private-area')
    expect(after.text).not.toContain(escapeHtml(minutes.title))
    expect(after.text).toContain('href="/private-area/sign-in"')
  })

  it('comes back to the download a signed-out member asked for once they have signed in', async () => {
    const visitor = await signedInMember('grace.hopper@esa.example', 'Grace Hopper')
    const href = fileLinkAfter((await visitor.get('/private-area')).text, minutes.title)
    const anonymous = createVisitor(site.url)
    const redirect = await anonymous.get(href)
    const signInPage = await anonymous.visit(redirect.location!)
    expect(signInPage.text).toContain(`name="next" value="${href}"`)
    const answer = await anonymous.post('/api/private-area/sign-in', { email: 'grace.hopper@esa.example', password: PASSWORD, next: href })
    expect(answer.status).toBe(303)
    expect(answer.location).toBe(href)
    expect((await anonymous.get(href)).status).toBe(200)
    // never anywhere outside the Private Area
    const elsewhere = await anonymous.post('/api/private-area/sign-in', { email: 'grace.hopper@esa.example', password: PASSWORD, next: 'https://evil.example/' })
    expect(elsewhere.location).toBe('/private-area')
  })
})

describe('private area: member documents', () => {
  it('filters member documents by type, year, working group, topic and title with a plain GET form', async () => {
    const visitor = await signedInMember('katherine.johnson@esa.example')
    const titles = async (query: string) => {
      const page = await visitor.get(`/private-area${query}`)
      expect(page.status, query).toBe(200)
      return memberDocuments.filter(d => page.text.includes(escapeHtml(d.title))).map(d => d.title)
    }
    const page = await visitor.get('/private-area')
    expect(page.text).toContain('<form class="pa-filters" action="/private-area#documents" method="get"')
    expect(await titles('')).toEqual(memberDocuments.map(d => d.title))
    expect(await titles('?kind=minutes')).toEqual([minutes.title])
    expect(await titles(`?group=${encodeURIComponent(presentation.workingGroup!)}`)).toEqual([presentation.title])
    expect(await titles('?topic=lunar-volatiles')).toEqual(memberDocuments.filter(d => d.topics?.includes('lunar-volatiles')).map(d => d.title))
    expect(await titles('?year=2026')).toEqual(memberDocuments.filter(d => d.date.startsWith('2026')).map(d => d.title))
    expect(await titles('?year=1999')).toEqual([])
    expect(await titles('?q=ANNUAL')).toEqual(memberDocuments.filter(d => /annual/i.test(d.title)).map(d => d.title))
    const filtered = await visitor.get('/private-area?kind=minutes')
    expect(filtered.text).toContain('1 document matches your filters')
    expect(filtered.text).toMatch(/<option value="minutes" selected/)
  })
})

describe('private area: sign-in', () => {
  it('answers an unknown address and a wrong password the same way, with an error summary linked to the field', async () => {
    await createMember(cms.strapi, { email: 'mary.jackson@esa.example', password: PASSWORD })
    const answers = []
    for (const [email, password] of [
      ['nobody@esa.example', PASSWORD],
      ['mary.jackson@esa.example', 'Wrong-password-2026'],
    ]) {
      const visitor = createVisitor(site.url)
      await visitor.get('/private-area/sign-in')
      const answer = await visitor.post('/api/private-area/sign-in', { email: email!, password: password! })
      expect(answer.status).toBe(303)
      expect(answer.location).toBe('/private-area/sign-in')
      expect(visitor.cookies.has('isecg-session')).toBe(false)
      const page = await visitor.get('/private-area/sign-in')
      expect(page.status).toBe(400)
      answers.push(page.text.replace(/value="[^"]*"/g, ''))
      expect(page.text).toMatch(/<div class="error-summary" role="alert"[^>]*>[\s\S]*<a href="#email">The email address or password is not right/)
      expect(page.text).toMatch(/<input id="email"[^>]*aria-invalid="true"[^>]*aria-describedby="email-error"/)
      expect(page.text).toContain(`value="${email}"`)
      // shown once: a reload is a fresh form
      expect((await visitor.get('/private-area/sign-in')).text).not.toContain('role="alert"')
    }
    expect(answers[0]).toBe(answers[1])
  })

  it('asks for missing fields, each message linked to its field', async () => {
    const visitor = createVisitor(site.url)
    await visitor.get('/private-area/sign-in')
    proxy.reset()
    await visitor.post('/api/private-area/sign-in', { email: 'not-an-address', password: '' })
    const page = await visitor.get('/private-area/sign-in')
    expect(page.text).toContain('<a href="#email">Enter an email address in the correct format')
    expect(page.text).toContain('<a href="#password">Enter your password</a>')
    expect(page.text).toMatch(/<input id="password"[^>]*aria-invalid="true"/)
    expect(proxy.requests.filter(path => path.startsWith('/api/member-auth/login'))).toEqual([])
  })

  it('says how long to wait when the CMS limits sign-in attempts (429)', async () => {
    const email = 'dorothy.vaughan@esa.example'
    await createMember(cms.strapi, { email, password: PASSWORD })
    const visitor = createVisitor(site.url)
    let page = await visitor.get('/private-area/sign-in')
    for (let attempt = 0; attempt < 12 && page.status !== 429; attempt++) {
      await visitor.post('/api/private-area/sign-in', { email, password: `Wrong-password-${attempt}` })
      page = await visitor.get('/private-area/sign-in')
    }
    expect(page.status).toBe(429)
    expect(page.text).toMatch(/Too many unsuccessful sign-in attempts[^<]*try again in \d+ minutes?/)
    expect(page.text).toContain('role="alert"')
    // even the right password waits
    await visitor.post('/api/private-area/sign-in', { email, password: PASSWORD })
    expect(visitor.cookies.has('isecg-session')).toBe(false)
  })
})

describe('private area: CSRF', () => {
  it('refuses form posts without the token, with another visitor\'s token, or from another origin (403), before calling the CMS', async () => {
    const email = 'margaret.hamilton@esa.example'
    await createMember(cms.strapi, { email, password: PASSWORD })
    const visitor = createVisitor(site.url)
    const other = createVisitor(site.url)
    await visitor.get('/private-area/sign-in')
    await other.get('/private-area/sign-in')
    expect(visitor.cookies.has('__Host-isecg-csrf')).toBe(true) // https: no subdomain can plant it
    const fields = { email, password: PASSWORD }
    proxy.reset()
    expect((await visitor.post('/api/private-area/sign-in', fields, { csrf: false })).status).toBe(403)
    expect((await visitor.post('/api/private-area/sign-in', { ...fields, _csrf: other.csrfToken }, { csrf: false })).status).toBe(403)
    expect((await visitor.post('/api/private-area/sign-in', fields, { origin: 'https://evil.example' })).status).toBe(403)
    expect((await visitor.post('/api/private-area/sign-in', fields, { origin: 'null' })).status).toBe(403)
    expect((await visitor.post('/api/private-area/sign-in', fields, {
      headers: { 'sec-fetch-site': 'cross-site' },
    })).status).toBe(403)
    const noCookie = createVisitor(site.url)
    expect((await noCookie.post('/api/private-area/sign-in', { ...fields, _csrf: visitor.csrfToken }, { csrf: false })).status).toBe(403)
    expect(proxy.requests.filter(path => path.startsWith('/api/member-auth'))).toEqual([])
    expect(visitor.cookies.has('isecg-session')).toBe(false)

    // the same post from the site's own page, the public origin or no Origin at all (token only)
    expect((await visitor.post('/api/private-area/sign-in', fields, { origin: SITE_URL })).status).toBe(303)
    expect(visitor.cookies.has('isecg-session')).toBe(true)
    await visitor.get('/private-area')
    expect((await visitor.post('/api/private-area/sign-out', {}, { csrf: false })).status).toBe(403)
    expect(visitor.cookies.has('isecg-session')).toBe(true)
    // an opaque origin (Origin: null) passes only when the browser says the post is same-origin
    expect((await visitor.post('/api/private-area/sign-out', {}, {
      origin: 'null',
      headers: { 'sec-fetch-site': 'same-origin' },
    })).status).toBe(303)
    expect(visitor.cookies.has('isecg-session')).toBe(false)
    // and a browser that sends neither Origin nor Sec-Fetch-Site relies on the token alone
    await visitor.get('/private-area/sign-in')
    expect((await visitor.post('/api/private-area/sign-in', fields, { origin: null })).status).toBe(303)
  })
})

describe('private area: page cache', () => {
  // A page's Last-Modified is the time it was rendered: a cached copy keeps it, a fresh render has
  // a new one (HTTP dates count whole seconds, hence the pauses).
  const renderedAt = (answer: { headers: Headers }) => Date.parse(answer.headers.get('last-modified') ?? '')
  const nextSecond = () => new Promise(resolve => setTimeout(resolve, 1100))

  it('serves a member a freshly rendered public page, never the cached one, and it shows no member data', async () => {
    const member = await signedInMember('annie.easley@esa.example', 'Annie Easley')
    const anonymous = createVisitor(site.url)
    for (const path of ['/about', '/members', '/news']) {
      await anonymous.get(path)
      const cached = await anonymous.get(path)
      expect(cached.headers.get('cache-control'), path).toMatch(/s-maxage=60/)
      await nextSecond()
      const forMember = await member.get(path)
      expect(forMember.status, path).toBe(200)
      expect(renderedAt(forMember), `${path} rendered afresh for a member`).toBeGreaterThan(renderedAt(cached))
      expect(renderedAt(await anonymous.get(path)), `${path} still the cached copy`).toBe(renderedAt(cached))
      for (const answer of [forMember, cached]) {
        expect(answer.setCookies, path).toEqual([])
        expect(answer.text, path).not.toContain('Annie Easley')
        expect(answer.text, path).not.toContain('annie.easley@esa.example')
        expect(answer.text, path).not.toContain('Sign out')
        expect(answer.text, path).not.toContain(escapeHtml(minutes.title))
      }
    }
  })

  it('never stores a page rendered for a member, so anonymous visitors never get it', async () => {
    const member = await signedInMember('mae.jemison@esa.example', 'Mae Jemison')
    const anonymous = createVisitor(site.url)
    const path = `/publications?q=gateway-${Date.now()}`
    const forMember = await member.get(path)
    expect(forMember.status).toBe(200)
    await nextSecond()
    const first = await anonymous.get(path)
    expect(renderedAt(first), 'the member\'s page was not stored').toBeGreaterThan(renderedAt(forMember))
    expect(first.setCookies).toEqual([])
    expect(first.text).not.toContain('Mae Jemison')
    await nextSecond()
    expect(renderedAt(await anonymous.get(path)), 'the anonymous page was').toBe(renderedAt(first))
  })
})

describe('private area: protected files', () => {
  it('serves member and members-only files through /uploads to nobody (original and every format), public files to everyone', async () => {
    const { join } = await import('node:path')
    const { mkdtemp, rm, writeFile } = await import('node:fs/promises')
    const { tmpdir } = await import('node:os')

    // an image member document, so that the CMS makes thumbnail, small, medium and large formats
    const dir = await mkdtemp(join(tmpdir(), 'isecg-pa-'))
    const filepath = join(dir, 'plenary-photo.png')
    const png = await solidPng(1400, 900)
    await writeFile(filepath, png)
    const [image] = await cms.strapi.plugin('upload').service('upload').upload({
      data: {
        fileInfo: { name: 'plenary-photo.png', alternativeText: 'Plenary photo' },
      },
      files: {
        filepath,
        originalFilename: 'plenary-photo.png',
        mimetype: 'image/png',
        size: png.length,
      },
    }) as { id: number }[]
    await rm(dir, { recursive: true, force: true })
    await cms.strapi.documents('api::member-document.member-document').create({
      data: {
        title: 'Plenary photo',
        slug: 'plenary-photo',
        kind: 'other',
        date: '2026-04-16',
        file: image!.id,
      },
      status: 'published',
    } as never)

    interface FileRow { id: number, url: string, formats: Record<string, { url: string }> | null }
    const files = async (uid: string, field: string, filters: Record<string, unknown> = {}) => {
      const entries = await cms.strapi.db.query(uid as never).findMany({
        where: filters,
        populate: { [field]: true },
      }) as Record<string, FileRow | FileRow[] | null>[]
      return entries.flatMap(entry => [entry[field]].flat()).filter((file): file is FileRow => !!file)
    }
    const urls = (list: FileRow[]) => list.flatMap(file => [
      file.url,
      ...Object.values(file.formats ?? {}).map(format => format.url),
    ])

    const protectedFiles = [
      ...await files('api::member-document.member-document', 'file'),
      ...await files('api::publication.publication', 'file', { visibility: 'members' }),
      ...await files('api::news-article.news-article', 'attachments', { visibility: 'members' }),
    ]
    const protectedUrls = urls(protectedFiles)
    expect(protectedUrls.filter(url => url.includes('plenary_photo') || url.includes('plenary-photo')).length).toBeGreaterThanOrEqual(5)
    const publicUrls = urls([
      ...await files('api::publication.publication', 'file', {
        visibility: 'public',
        publishedAt: { $notNull: true },
      }),
      ...await files('api::site-setting.site-setting', 'brochure'),
    ]).filter(url => !protectedUrls.includes(url))
    expect(protectedUrls.length).toBeGreaterThan(5)
    expect(publicUrls.length).toBeGreaterThan(3)

    for (const url of protectedUrls) {
      const answer = await fetch(`${site.url}${url}`)
      expect(answer.status, url).toBe(404)
      expect((await answer.text()).length, url).toBeLessThan(2000)
    }
    for (const url of publicUrls) {
      const answer = await fetch(`${site.url}${url}`)
      expect(answer.status, url).toBe(200)
      await answer.arrayBuffer()
    }
  })
})
