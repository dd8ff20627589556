import type { CmsInstance, StartOptions } from './harness'
import type { Mailbox } from './support/mailbox'
/**
 * Sign-in and forgot-password limits (docs/private-area.md), counted in the database: on SQLite, and
 * on PostgreSQL when TEST_POSTGRES_URL is set (as in production, where several instances share them).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCms } from './harness'
import { startMailbox } from './support/mailbox'
import { createMember } from './support/members'
import { testDatabase, testPostgresUrl } from './support/postgres'
import { signIn, siteCall } from './support/site'

const FIFTEEN_MINUTES = 15 * 60

function rateLimitSuite(database: 'SQLite' | 'PostgreSQL', options: () => Promise<StartOptions & { cleanup?: () => Promise<void> }>) {
  describe(`rate limits on ${database}`, () => {
    let cms: CmsInstance
    let mailbox: Mailbox
    let cleanup: (() => Promise<void>) | undefined

    beforeAll(async () => {
      mailbox = await startMailbox()
      const { cleanup: drop, ...start } = await options()
      cleanup = drop
      cms = await startCms({
        ...start,
        env: {
          SMTP_HOST: '127.0.0.1',
          SMTP_PORT: String(mailbox.port),
        },
      })
    })

    afterAll(async () => {
      await cms?.stop()
      await mailbox?.close()
      await cleanup?.()
    })

    it('stops 30 failed sign-ins without the site key, rotating X-Forwarded-For and the email\'s case, from the 6th (429)', async () => {
      const member = await createMember(cms.strapi, { email: 'target@esa.example' })
      const statuses: number[] = []
      let retryAfter: string | null = null
      for (let attempt = 0; attempt < 30; attempt++) {
        const email = attempt % 2
          ? member.email.toUpperCase()
          : ` ${member.email.replace('target', 'Target')} `
        const answer = await signIn(cms, email, `Wrong-password-${attempt}`, { key: false, forwardedFor: `192.0.2.${attempt + 1}` })
        statuses.push(answer.status)
        retryAfter = answer.headers.get('retry-after') ?? retryAfter
      }
      expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401])
      expect(statuses.slice(5)).toEqual(Array.from<number>({ length: 25 }).fill(429))
      expect(Number(retryAfter)).toBeGreaterThan(0)
      expect(Number(retryAfter)).toBeLessThanOrEqual(FIFTEEN_MINUTES)
      // the right password, with the key, from the same (socket) address: still limited
      expect((await signIn(cms, member.email, member.password)).status).toBe(429)
    })

    it('counts per forwarded address when the site key vouches for X-Forwarded-For', async () => {
      const member = await createMember(cms.strapi, { email: 'per-address@esa.example' })
      const from = (address: string, password = 'Wrong-password-2026') => signIn(cms, member.email, password, { forwardedFor: `${address}, 10.0.0.1` })
      for (let attempt = 0; attempt < 5; attempt++)
        expect((await from('198.51.100.10')).status).toBe(400)
      const limited = await from('198.51.100.10', member.password)
      expect(limited.status).toBe(429)
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(FIFTEEN_MINUTES - 60)
      expect((await from('198.51.100.11')).status).toBe(400)
      expect((await from('198.51.100.12', member.password)).status).toBe(200)
    })

    it('locks an account after 10 failures from any addresses: 429 from another address, even with the right password', async () => {
      const member = await createMember(cms.strapi, { email: 'locked@esa.example' })
      for (let attempt = 0; attempt < 10; attempt++) {
        const answer = await signIn(cms, member.email, 'Wrong-password-2026', { forwardedFor: `203.0.113.${attempt % 5 + 1}` })
        expect(answer.status, `attempt ${attempt + 1}`).toBe(400)
      }
      const locked = await signIn(cms, member.email.toUpperCase(), member.password, { forwardedFor: '203.0.113.99' })
      expect(locked.status).toBe(429)
      expect(locked.body.error.status).toBe(429)
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(FIFTEEN_MINUTES - 60)
      // another account from the same addresses is not affected
      const other = await createMember(cms.strapi, { email: 'unlocked@esa.example' })
      expect((await signIn(cms, other.email, other.password, { forwardedFor: '203.0.113.1' })).status).toBe(200)
    })

    it('lets no more than 5 of 20 parallel failed sign-ins from one address through (atomic counting)', async () => {
      const member = await createMember(cms.strapi, { email: 'parallel@esa.example' })
      const answers = await Promise.all(Array.from({ length: 20 }, (_, index) => signIn(cms, index % 2
        ? member.email
        : member.email.toUpperCase(), 'Wrong-password-2026', { forwardedFor: '198.51.100.150' })))
      const statuses = answers.map(answer => answer.status)
      expect(statuses.filter(status => status === 400)).toHaveLength(5)
      expect(statuses.filter(status => status === 429)).toHaveLength(15)
    })

    it('limits the same for an unknown email (no account oracle)', async () => {
      const statuses: number[] = []
      for (let attempt = 0; attempt < 6; attempt++)
        statuses.push((await signIn(cms, 'ghost@esa.example', 'Wrong-password-2026', { forwardedFor: '198.51.100.77' })).status)
      expect(statuses).toEqual([400, 400, 400, 400, 400, 429])
    })

    it('sends at most 3 reset mails per address an hour and answers every request the same', async () => {
      const members = await Promise.all([1, 2, 3, 4].map(n => createMember(cms.strapi, { email: `reset${n}@esa.example` })))
      const answers = new Set<string>()
      for (const member of members) {
        const answer = await siteCall(cms, 'POST', '/api/member-auth/password/forgot', {
          body: { email: member.email },
          forwardedFor: '198.51.100.200',
        })
        answers.add(JSON.stringify([answer.status, answer.body]))
      }
      expect([...answers]).toEqual([
        JSON.stringify([
          202,
          { ok: true },
        ]),
      ])
      for (const member of members.slice(0, 3)) await mailbox.waitFor(member.email)
      // from another address the fourth account gets its mail
      await siteCall(cms, 'POST', '/api/member-auth/password/forgot', {
        body: { email: members[3]!.email },
        forwardedFor: '198.51.100.201',
      })
      await mailbox.waitFor(members[3]!.email)
      expect(mailbox.to(members[3]!.email)).toHaveLength(1)
      for (const member of members.slice(0, 3)) expect(mailbox.to(member.email)).toHaveLength(1)
    })

    it('keeps its counters in the database, hashed: no email or address in clear', async () => {
      const rows = await cms.strapi.db.connection('isecg_rate_limits').select('*') as Array<{ id_hash: string, hits: number }>
      expect(rows.length).toBeGreaterThan(5)
      const text = JSON.stringify(rows)
      for (const clear of ['@', '198.51.100', 'target', 'sign-in'])
        expect(text).not.toContain(clear)
      expect(rows.every(row => /^[0-9a-f]{64}$/.test(row.id_hash))).toBe(true)
    })
  })
}

rateLimitSuite('SQLite', async () => ({}))

describe.skipIf(!testPostgresUrl)('on PostgreSQL', () => {
  rateLimitSuite('PostgreSQL', async () => {
    const database = testDatabase('isecg_limits')
    await database.create()
    return {
      postgresUrl: database.url,
      cleanup: database.drop,
    }
  })
})
