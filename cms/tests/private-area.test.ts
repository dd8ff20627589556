import type { CmsInstance } from './harness'
import type { AdminSession } from './support/admin'
import type { Mailbox } from './support/mailbox'
/**
 * Member accounts end to end (docs/private-area.md): an editor invites a member in the admin, the
 * CMS mails the invitation through a real SMTP server (in this process), the link's token sets the
 * password through the site's endpoint, the member signs in and reads; forgot/reset; block and
 * unblock; the tokens' single use and expiry; identical answers where a difference would tell an
 * attacker something.
 */
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureDemoMember } from '../src/private-area/demo-member'
import { getJson, startCms } from './harness'
import { signInAsAdmin, USERS_PATH } from './support/admin'
import { linkIn, startMailbox } from './support/mailbox'
import { createMember, memberJwt } from './support/members'
import { signIn, siteCall } from './support/site'

const USER_UID = 'plugin::users-permissions.user'
const TOKEN_UID = 'api::member-token.member-token'
const PASSWORD = 'Correct-horse-2026'

let cms: CmsInstance
let mailbox: Mailbox
let admin: AdminSession
let esa: { id: number, documentId: string }

beforeAll(async () => {
  mailbox = await startMailbox()
  cms = await startCms({
    env: {
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(mailbox.port),
      MAIL_FROM: 'ISECG Secretariat <secretariat@isecg.test>',
    },
  })
  admin = await signInAsAdmin(cms)
  esa = await cms.strapi.db.query('api::member-agency.member-agency').findOne({
    where: {
      acronym: 'ESA',
      publishedAt: { $notNull: true },
    },
  })
})

afterAll(async () => {
  await cms?.stop()
  await mailbox?.close()
})

function userByEmail(email: string) {
  return cms.strapi.db.query(USER_UID).findOne({
    where: { email },
    populate: { role: true, agency: true },
  })
}

/** Creates a user as an editor does in the Content Manager: email, full name, agency, nothing else. */
async function invite(email: string, fullName: string) {
  const created = await admin.request('POST', USERS_PATH, {
    email,
    fullName,
    agency: {
      connect: [
        { id: esa.id, documentId: esa.documentId },
      ],
      disconnect: [],
    },
  })
  expect(created.status, JSON.stringify(created.body)).toBeLessThan(300)
  // the users-permissions controller answers the user itself, the core one { data }
  return (created.body.data ?? created.body) as { id: number, documentId: string }
}

/** As the admin panel does, through the Document Service inside an admin request. */
async function asAdminRequest<T>(work: () => Promise<T>): Promise<T> {
  const ctx = {
    state: {
      route: {
        info: { type: 'admin' },
      },
    },
    request: { headers: {} },
  }
  let result!: T
  await cms.strapi.requestContext.run(ctx as never, async () => {
    result = await work()
  })
  return result
}

async function acceptedMember(email: string, fullName = 'Test Member') {
  await invite(email, fullName)
  const { token } = linkIn(await mailbox.waitFor(email.trim().toLowerCase()), 'invitation')
  const accepted = await siteCall(cms, 'POST', '/api/member-auth/invitation/accept', {
    body: { token, password: PASSWORD },
  })
  expect(accepted.status).toBe(200)
  return accepted.body as { jwt: string, member: { id: number } }
}

describe('invitation', () => {
  it('invites a member created in the admin: branded mail with a site link, password set through the link, then sign-in and me', async () => {
    await invite('  Ada.Invitee@ESA.example ', 'Ada Invitee')
    const email = 'ada.invitee@esa.example'
    const stored = await userByEmail(email)
    expect(stored).toMatchObject({
      username: email,
      confirmed: false,
      blocked: false,
      memberStatus: 'pending',
      fullName: 'Ada Invitee',
      resendInvitation: false,
    })
    expect(stored.role.type).toBe('authenticated')
    expect(stored.agency.acronym).toBe('ESA')
    expect(stored.invitationSentAt).toBeTruthy()

    const mail = await mailbox.waitFor(email)
    expect(mail.mail.subject).toBe('Your invitation to the ISECG Private Area')
    expect(mail.mail.from?.text).toContain('secretariat@isecg.test')
    expect(mail.mail.html).toContain('#0b1f3a')
    expect(mail.mail.html).toContain('ISECG')
    expect(mail.mail.text).toContain('Dear Ada Invitee,')
    const { url, token } = linkIn(mail, 'invitation')
    expect(url).toBe(`http://site.test/private-area/invitation/${token}`)
    expect(mail.mail.html).toContain(url)
    expect(mail.mail.text).not.toContain(cms.url)

    // the CMS keeps only the token's hash
    const tokens = await cms.strapi.db.query(TOKEN_UID).findMany({
      where: { purpose: 'invite' },
    })
    expect(JSON.stringify(tokens)).not.toContain(token)
    expect(tokens.map((t: { tokenHash: string }) => t.tokenHash)).toContain(createHash('sha256').update(token).digest('hex'))

    expect((await siteCall(cms, 'GET', `/api/member-auth/invitation/${token}`, { key: false })).status).toBe(401)
    const shown = await siteCall(cms, 'GET', `/api/member-auth/invitation/${token}`)
    expect(shown).toMatchObject({
      status: 200,
      body: { email },
    })

    // not yet a member: signing in fails like a wrong password
    expect((await signIn(cms, email, 'anything-at-all-1')).body.error.message).toBe('Invalid email or password')

    const weak = await siteCall(cms, 'POST', '/api/member-auth/invitation/accept', {
      body: { token, password: 'short-11ch' },
    })
    expect(weak.status).toBe(400)
    expect((await siteCall(cms, 'GET', `/api/member-auth/invitation/${token}`)).status).toBe(200)

    const accepted = await siteCall(cms, 'POST', '/api/member-auth/invitation/accept', {
      body: { token, password: PASSWORD },
    })
    expect(accepted.status).toBe(200)
    expect(accepted.body.member).toEqual({
      id: stored.id,
      email,
      fullName: 'Ada Invitee',
      agency: { name: 'European Space Agency', acronym: 'ESA' },
    })
    expect(typeof accepted.body.jwt).toBe('string')
    expect(await userByEmail(email)).toMatchObject({ memberStatus: 'active', confirmed: true })

    const login = await signIn(cms, 'ADA.INVITEE@esa.example ', PASSWORD)
    expect(login.status).toBe(200)
    expect(login.body.member.email).toBe(email)
    const me = await siteCall(cms, 'GET', '/api/member-auth/me', { jwt: login.body.jwt })
    expect(me).toMatchObject({
      status: 200,
      body: {
        member: {
          id: stored.id,
          email,
          fullName: 'Ada Invitee',
          agency: { acronym: 'ESA' },
        },
      },
    })
    expect((await siteCall(cms, 'GET', '/api/member-auth/me', { jwt: login.body.jwt, key: false })).status).toBe(401)
    expect((await siteCall(cms, 'GET', '/api/member-auth/me', {
      jwt: login.body.jwt,
      key: 'x'.repeat(43),
    })).status).toBe(401)
    expect((await siteCall(cms, 'GET', '/api/member-auth/me')).status).toBe(401)

    // a member reads member documents and members-only entries through the Content API
    const documents = await getJson(cms, '/api/member-documents?pagination[pageSize]=100', {
      headers: { authorization: `Bearer ${login.body.jwt}` },
    })
    expect(documents.status).toBe(200)
    expect(documents.body.data.length).toBeGreaterThanOrEqual(3)
  })

  it('uses an invitation token once', async () => {
    await invite('once@esa.example', 'Once Only')
    const { token } = linkIn(await mailbox.waitFor('once@esa.example'), 'invitation')
    const first = await siteCall(cms, 'POST', '/api/member-auth/invitation/accept', {
      body: { token, password: PASSWORD },
    })
    expect(first.status).toBe(200)
    const again = await siteCall(cms, 'POST', '/api/member-auth/invitation/accept', {
      body: { token, password: 'Another-password-2026' },
    })
    expect(again.status).toBe(400)
    expect((await siteCall(cms, 'GET', `/api/member-auth/invitation/${token}`)).status).toBe(404)
    expect((await signIn(cms, 'once@esa.example', 'Another-password-2026')).status).toBe(400)
    expect((await signIn(cms, 'once@esa.example', PASSWORD)).status).toBe(200)
  })

  it('lets an invitation expire after 7 days', async () => {
    await invite('late@esa.example', 'Late Reader')
    const { token } = linkIn(await mailbox.waitFor('late@esa.example'), 'invitation')
    const tokenHash = createHash('sha256').update(token).digest('hex')
    const stored = await cms.strapi.db.query(TOKEN_UID).findOne({
      where: { tokenHash },
    })
    const lifetime = new Date(stored.expiresAt).getTime() - Date.now()
    expect(lifetime).toBeGreaterThan(7 * 24 * 3600_000 - 60_000)
    expect(lifetime).toBeLessThanOrEqual(7 * 24 * 3600_000)
    await cms.strapi.db.query(TOKEN_UID).update({
      where: { id: stored.id },
      data: {
        expiresAt: new Date(Date.now() - 1000),
      },
    })
    expect((await siteCall(cms, 'GET', `/api/member-auth/invitation/${token}`)).status).toBe(404)
    expect((await siteCall(cms, 'POST', '/api/member-auth/invitation/accept', {
      body: { token, password: PASSWORD },
    })).status).toBe(400)
  })

  it('resends a fresh invitation when an editor ticks "Resend invitation", revoking the older link', async () => {
    const created = await invite('resend@esa.example', 'Re Send')
    const old = linkIn(await mailbox.waitFor('resend@esa.example', 0), 'invitation').token
    const saved = await admin.request('PUT', `${USERS_PATH}/${created.documentId}`, { resendInvitation: true })
    expect(saved.status, JSON.stringify(saved.body)).toBe(200)
    const fresh = linkIn(await mailbox.waitFor('resend@esa.example', 1), 'invitation').token
    expect(fresh).not.toBe(old)
    expect((await siteCall(cms, 'GET', `/api/member-auth/invitation/${old}`)).status).toBe(404)
    expect((await siteCall(cms, 'GET', `/api/member-auth/invitation/${fresh}`)).status).toBe(200)
    expect((await userByEmail('resend@esa.example')).resendInvitation).toBe(false)
  })

  it('invites through the Document Service as the admin panel does, and refuses a member without an agency', async () => {
    const uid = USER_UID as never
    await asAdminRequest(() => cms.strapi.documents(uid).create({
      data: { email: 'Docs.Invitee@JAXA.example', fullName: 'Docs Invitee', agency: esa.documentId },
    } as never))
    const mail = await mailbox.waitFor('docs.invitee@jaxa.example')
    expect(linkIn(mail, 'invitation').url).toMatch(/^http:\/\/site\.test\/private-area\/invitation\//)
    expect(await userByEmail('docs.invitee@jaxa.example')).toMatchObject({ memberStatus: 'pending', username: 'docs.invitee@jaxa.example' })

    await expect(asAdminRequest(() => cms.strapi.documents(uid).create({
      data: { email: 'no.agency@example.org', fullName: 'No Agency' },
    } as never))).rejects.toThrow(/agency/)
    expect(await userByEmail('no.agency@example.org')).toBeNull()
  })

  it('lets an admin of the Editor role invite and block members', async () => {
    const editor = await signInAsAdmin(cms, 'plain.editor@isecg.test', 'strapi-editor')
    const created = await editor.request('POST', USERS_PATH, {
      email: 'by.editor@esa.example',
      fullName: 'By Editor',
      agency: {
        connect: [
          { id: esa.id, documentId: esa.documentId },
        ],
        disconnect: [],
      },
    })
    expect(created.status, JSON.stringify(created.body)).toBeLessThan(300)
    const { token } = linkIn(await mailbox.waitFor('by.editor@esa.example'), 'invitation')
    expect((await siteCall(cms, 'GET', `/api/member-auth/invitation/${token}`)).status).toBe(200)
    const user = await userByEmail('by.editor@esa.example')
    expect((await editor.request('PUT', `${USERS_PATH}/${user.documentId}`, { blocked: true })).status).toBe(200)
    expect(await userByEmail('by.editor@esa.example')).toMatchObject({ memberStatus: 'blocked', sessionVersion: 1 })
    expect((await siteCall(cms, 'GET', `/api/member-auth/invitation/${token}`)).status).toBe(404)
  })

  it('lists members for editors with email, full name, agency, status and invitation date, and shows the CMS\'s fields read-only', async () => {
    const configuration = await cms.strapi.plugin('content-manager').service('content-types').findConfiguration(cms.strapi.contentType(USER_UID as never))
    expect(configuration.layouts.list).toEqual([
      'email',
      'fullName',
      'agency',
      'memberStatus',
      'invitationSentAt',
    ])
    expect(configuration.metadatas.memberStatus.edit.editable).toBe(false)
    expect(configuration.metadatas.invitationSentAt.edit.editable).toBe(false)
    expect(configuration.metadatas.resendInvitation.edit.label).toBe('Resend invitation')
    const list = await admin.request('GET', `${USERS_PATH}?page=1&pageSize=100`)
    expect(list.status).toBe(200)
    expect(JSON.stringify(list.body)).not.toContain('sessionVersion')
  })

  it('ignores the member status an editor would type: the CMS maintains it', async () => {
    const created = await invite('status@esa.example', 'Status Quo')
    await admin.request('PUT', `${USERS_PATH}/${created.documentId}`, { memberStatus: 'active', sessionVersion: 9 })
    const stored = await userByEmail('status@esa.example')
    expect(stored).toMatchObject({ memberStatus: 'pending', sessionVersion: 0 })
  })
})

describe('blocking', () => {
  it('ends a blocked member\'s sessions at once on every route, and unblocking does not revive old JWTs', async () => {
    const { jwt } = await acceptedMember('blocked@esa.example')
    const bearer = {
      headers: { authorization: `Bearer ${jwt}` },
    }
    expect((await getJson(cms, '/api/news-articles', bearer)).status).toBe(200)
    const user = await userByEmail('blocked@esa.example')

    const saved = await admin.request('PUT', `${USERS_PATH}/${user.documentId}`, { blocked: true })
    expect(saved.status, JSON.stringify(saved.body)).toBe(200)
    expect(await userByEmail('blocked@esa.example')).toMatchObject({ blocked: true, memberStatus: 'blocked', sessionVersion: user.sessionVersion + 1 })
    expect((await siteCall(cms, 'GET', '/api/member-auth/me', { jwt })).status).toBe(401)
    for (const path of [
      '/api/news-articles',
      '/api/member-documents',
      '/api/topics',
      '/api/homepage',
    ])
      expect((await getJson(cms, path, bearer)).status, path).toBe(401)
    expect((await siteCall(cms, 'GET', '/api/member-files/1', { jwt })).status).toBe(401)
    expect((await signIn(cms, 'blocked@esa.example', PASSWORD)).status).toBe(400)

    await admin.request('PUT', `${USERS_PATH}/${user.documentId}`, { blocked: false })
    expect(await userByEmail('blocked@esa.example')).toMatchObject({ blocked: false, memberStatus: 'active' })
    expect((await siteCall(cms, 'GET', '/api/member-auth/me', { jwt })).status).toBe(401)
    const again = await signIn(cms, 'blocked@esa.example', PASSWORD)
    expect(again.status).toBe(200)
    expect((await siteCall(cms, 'GET', '/api/member-auth/me', { jwt: again.body.jwt })).status).toBe(200)
  })

  it('refuses a member JWT without a session version, or of a pending account', async () => {
    const member = await createMember(cms.strapi, { email: 'legacy@esa.example' })
    const legacy = cms.strapi.plugin('users-permissions').service('jwt').issue({ id: member.id })
    expect((await getJson(cms, '/api/news-articles', {
      headers: { authorization: `Bearer ${legacy}` },
    })).status).toBe(401)
    expect((await getJson(cms, '/api/news-articles', {
      headers: { authorization: `Bearer ${member.jwt}` },
    })).status).toBe(200)
    await cms.strapi.db.query(USER_UID).update({
      where: { id: member.id },
      data: { memberStatus: 'pending' },
    })
    expect((await getJson(cms, '/api/news-articles', {
      headers: { authorization: `Bearer ${member.jwt}` },
    })).status).toBe(401)
    expect((await getJson(cms, '/api/news-articles', {
      headers: { authorization: `Bearer ${memberJwt(cms.strapi, { id: member.id, sessionVersion: 1 })}` },
    })).status).toBe(401)
  })
})

describe('forgotten passwords', () => {
  it('mails a reset link; the reset sets the new password and ends every earlier session', async () => {
    const email = 'forgetful@esa.example'
    const { jwt: oldJwt } = await acceptedMember(email, 'For Getful')
    const asked = await siteCall(cms, 'POST', '/api/member-auth/password/forgot', {
      body: { email: ' FORGETFUL@esa.example' },
    })
    expect(asked).toMatchObject({
      status: 202,
      body: { ok: true },
    })
    const mail = await mailbox.waitFor(email, 1)
    expect(mail.mail.subject).toBe('Reset your ISECG Private Area password')
    expect(mail.mail.html).toContain('#0b1f3a')
    const { url, token } = linkIn(mail, 'reset-password')
    expect(url).toBe(`http://site.test/private-area/reset-password/${token}`)

    const tokenHash = createHash('sha256').update(token).digest('hex')
    const stored = await cms.strapi.db.query(TOKEN_UID).findOne({
      where: { tokenHash },
    })
    const lifetime = new Date(stored.expiresAt).getTime() - Date.now()
    expect(lifetime).toBeGreaterThan(3600_000 - 60_000)
    expect(lifetime).toBeLessThanOrEqual(3600_000)

    expect(await siteCall(cms, 'GET', `/api/member-auth/password/reset/${token}`)).toMatchObject({
      status: 200,
      body: { email },
    })
    expect((await siteCall(cms, 'POST', '/api/member-auth/password/reset', {
      body: { token, password: 'too-short' },
    })).status).toBe(400)
    const reset = await siteCall(cms, 'POST', '/api/member-auth/password/reset', {
      body: { token, password: 'New-password-2026!' },
    })
    expect(reset.status).toBe(200)
    expect(reset.body.member.email).toBe(email)

    expect((await siteCall(cms, 'GET', '/api/member-auth/me', { jwt: oldJwt })).status).toBe(401)
    expect((await getJson(cms, '/api/news-articles', {
      headers: { authorization: `Bearer ${oldJwt}` },
    })).status).toBe(401)
    expect((await siteCall(cms, 'GET', '/api/member-auth/me', { jwt: reset.body.jwt })).status).toBe(200)
    expect((await signIn(cms, email, PASSWORD)).status).toBe(400)
    expect((await signIn(cms, email, 'New-password-2026!')).status).toBe(200)

    // once only
    expect((await siteCall(cms, 'GET', `/api/member-auth/password/reset/${token}`)).status).toBe(404)
    expect((await siteCall(cms, 'POST', '/api/member-auth/password/reset', {
      body: { token, password: 'Third-password-2026' },
    })).status).toBe(400)
  })

  it('lets a reset link expire after an hour', async () => {
    const email = 'slow@esa.example'
    await acceptedMember(email)
    await siteCall(cms, 'POST', '/api/member-auth/password/forgot', {
      body: { email },
    })
    const { token } = linkIn(await mailbox.waitFor(email, 1), 'reset-password')
    const tokenHash = createHash('sha256').update(token).digest('hex')
    await cms.strapi.db.query(TOKEN_UID).updateMany({
      where: { tokenHash },
      data: {
        expiresAt: new Date(Date.now() - 1000),
      },
    })
    expect((await siteCall(cms, 'GET', `/api/member-auth/password/reset/${token}`)).status).toBe(404)
    expect((await siteCall(cms, 'POST', '/api/member-auth/password/reset', {
      body: { token, password: 'New-password-2026!' },
    })).status).toBe(400)
  })

  it('answers every forgot-password request the same and mails only active accounts', async () => {
    await invite('pending.reader@esa.example', 'Pending Reader')
    await mailbox.waitFor('pending.reader@esa.example')
    const blocked = await acceptedMember('blocked.reader@esa.example')
    await cms.strapi.db.query(USER_UID).update({
      where: { id: blocked.member.id },
      data: { blocked: true, memberStatus: 'blocked' },
    })
    const answers = []
    for (const email of [
      'nobody@nowhere.example',
      'pending.reader@esa.example',
      'blocked.reader@esa.example',
      '',
      'not an email',
    ]) {
      const answer = await siteCall(cms, 'POST', '/api/member-auth/password/forgot', {
        body: { email },
        forwardedFor: `198.51.100.${answers.length + 1}`,
      })
      answers.push({ status: answer.status, body: answer.body })
    }
    expect(new Set(answers.map(answer => JSON.stringify(answer))).size).toBe(1)
    expect(answers[0]).toEqual({
      status: 202,
      body: { ok: true },
    })
    await new Promise(resolve => setTimeout(resolve, 1500))
    expect(mailbox.to('nobody@nowhere.example')).toHaveLength(0)
    expect(mailbox.to('pending.reader@esa.example')).toHaveLength(1) // the invitation only
    expect(mailbox.to('blocked.reader@esa.example')).toHaveLength(1) // the invitation only
    expect((await siteCall(cms, 'POST', '/api/member-auth/password/forgot', {
      body: { email: 'x@y.example' },
      key: false,
    })).status).toBe(401)
  })
})

describe('sign-in', () => {
  it('answers an unknown email, a wrong password, a pending and a blocked account identically', async () => {
    await acceptedMember('known@esa.example')
    await invite('invited.only@esa.example', 'Invited Only')
    const blocked = await acceptedMember('blocked.signin@esa.example')
    await cms.strapi.db.query(USER_UID).update({
      where: { id: blocked.member.id },
      data: { blocked: true, memberStatus: 'blocked' },
    })
    const attempts = [
      ['nobody@esa.example', PASSWORD],
      ['known@esa.example', 'Wrong-password-2026'],
      ['invited.only@esa.example', PASSWORD],
      ['blocked.signin@esa.example', PASSWORD],
    ] as const
    const answers = []
    for (const [index, [email, password]] of attempts.entries()) {
      const answer = await signIn(cms, email, password, { forwardedFor: `203.0.113.${index + 1}` })
      answers.push({
        status: answer.status,
        body: answer.body,
        type: answer.headers.get('content-type'),
      })
    }
    expect(answers[0]).toMatchObject({
      status: 400,
      body: {
        error: { message: 'Invalid email or password' },
      },
    })
    expect(new Set(answers.map(answer => JSON.stringify(answer))).size).toBe(1)
  })

  it('answers 401 without the site key, whatever the credentials', async () => {
    await acceptedMember('keyless@esa.example')
    expect((await signIn(cms, 'keyless@esa.example', PASSWORD, { key: false })).status).toBe(401)
    expect((await signIn(cms, 'keyless@esa.example', PASSWORD, { key: `${cms.siteKey}x` })).status).toBe(401)
    expect((await signIn(cms, 'keyless@esa.example', PASSWORD)).status).toBe(200)
  })

  it('keeps the stock users-permissions sign-in, password and profile routes closed', async () => {
    const member = await createMember(cms.strapi, { email: 'stock@esa.example' })
    const post = (path: string, body: unknown) => fetch(`${cms.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    expect([401, 403, 405]).toContain((await post('/api/auth/local', { identifier: member.email, password: member.password })).status)
    expect([401, 403, 405]).toContain((await post('/api/auth/forgot-password', { email: member.email })).status)
    expect([401, 403, 405]).toContain((await post('/api/auth/reset-password', { code: 'x', password: 'x', passwordConfirmation: 'x' })).status)
    expect([401, 403]).toContain((await getJson(cms, '/api/users/me', {
      headers: { authorization: `Bearer ${member.jwt}` },
    })).status)
  })
})

describe('member documents', () => {
  it('stay members-only even when someone grants the Public role access to them (the guard answers nothing)', async () => {
    const publicRole = await cms.strapi.db.query('plugin::users-permissions.role').findOne({
      where: { type: 'public' },
    })
    const permissions = cms.strapi.db.query('plugin::users-permissions.permission')
    const granted = await Promise.all(['find', 'findOne'].map(action => permissions.create({
      data: { action: `api::member-document.member-document.${action}`, role: publicRole.id },
    })))
    try {
      const list = await getJson(cms, '/api/member-documents?pagination[pageSize]=100')
      expect(list.status).toBe(200)
      expect(list.body.data).toEqual([])
      expect(list.body.meta.pagination.total).toBe(0)
      const seeded = await cms.strapi.db.query('api::member-document.member-document').findOne({
        where: {
          publishedAt: { $notNull: true },
        },
      })
      expect((await getJson(cms, `/api/member-documents/${seeded.documentId}`)).status).toBe(404)
    }
    finally {
      await permissions.deleteMany({
        where: {
          id: {
            $in: granted.map(permission => permission.id),
          },
        },
      })
    }
    expect((await getJson(cms, '/api/member-documents')).status).toBe(403)
  })
})

describe('demo member', () => {
  it('is created from DEMO_MEMBER_EMAIL / DEMO_MEMBER_PASSWORD outside production only, once, and signs in', async () => {
    const env = { ...process.env }
    try {
      Object.assign(process.env, { DEMO_MEMBER_EMAIL: 'Demo@ISECG.local', DEMO_MEMBER_PASSWORD: 'Demo-password-2026', NODE_ENV: 'production' })
      await ensureDemoMember(cms.strapi)
      expect(await userByEmail('demo@isecg.local')).toBeNull()
      process.env.NODE_ENV = 'development'
      await ensureDemoMember(cms.strapi)
      await ensureDemoMember(cms.strapi)
      expect(await cms.strapi.db.query(USER_UID).count({
        where: { email: 'demo@isecg.local' },
      })).toBe(1)
      const login = await signIn(cms, 'demo@isecg.local', 'Demo-password-2026')
      expect(login.status).toBe(200)
      expect(login.body.member.agency).toEqual({ name: 'European Space Agency', acronym: 'ESA' })
    }
    finally {
      for (const name of ['DEMO_MEMBER_EMAIL', 'DEMO_MEMBER_PASSWORD', 'NODE_ENV']) {
        if (env[name] === undefined)
          delete process.env[name]
        else process.env[name] = env[name]
      }
    }
  })
})
