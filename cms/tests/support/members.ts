/**
 * Members for tests, made the way the CMS makes them once an invitation is accepted: an active,
 * confirmed user of the Authenticated role with an agency, and a JWT carrying its session version.
 */
import type { Core } from '@strapi/strapi'

export interface TestMember {
  id: number
  documentId: string
  email: string
  password: string
  jwt: string
}

export async function createMember(strapi: Core.Strapi, options: { email: string, password?: string, agency?: string, fullName?: string }): Promise<TestMember> {
  const password = options.password ?? 'Member-pass-2026'
  const role = await strapi.db.query('plugin::users-permissions.role').findOne({
    where: { type: 'authenticated' },
  })
  const agency = await strapi.documents('api::member-agency.member-agency').findFirst({
    filters: { acronym: options.agency ?? 'ESA' },
  } as never)
  const email = options.email.toLowerCase()
  const user = await strapi.documents('plugin::users-permissions.user').create({
    data: {
      username: email,
      email,
      password,
      provider: 'local',
      confirmed: true,
      blocked: false,
      memberStatus: 'active',
      sessionVersion: 0,
      fullName: options.fullName ?? 'Test Member',
      agency: agency?.documentId,
      role: role.id,
    },
  } as never) as unknown as { id: number, documentId: string }
  return {
    id: user.id,
    documentId: user.documentId,
    email,
    password,
    jwt: memberJwt(strapi, { id: user.id, sessionVersion: 0 }),
  }
}

export function memberJwt(strapi: Core.Strapi, user: { id: number, sessionVersion?: number }): string {
  return strapi.plugin('users-permissions').service('jwt').issue({ id: user.id, sv: user.sessionVersion ?? 0 })
}
