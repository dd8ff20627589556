/**
 * Development convenience, like the generated admin: when DEMO_MEMBER_EMAIL / DEMO_MEMBER_PASSWORD
 * are set (scripts/ensure-env.mjs writes them into the untracked .env outside production) and no
 * user has that email, create an active member of ESA with that password. Never in production.
 */
import type { Core } from '@strapi/strapi'
import { authenticatedRoleId, normalizeEmail, USER_UID } from './members'

export async function ensureDemoMember(strapi: Core.Strapi) {
  const email = normalizeEmail(process.env.DEMO_MEMBER_EMAIL)
  const password = process.env.DEMO_MEMBER_PASSWORD
  if (!email || !password || process.env.NODE_ENV === 'production')
    return
  if (await strapi.db.query(USER_UID).findOne({
    where: { email },
  })) {
    return
  }
  const agency = await strapi.documents('api::member-agency.member-agency').findFirst({
    filters: { acronym: 'ESA' },
    fields: ['acronym'],
  } as never)
  await strapi.documents(USER_UID).create({
    data: {
      username: email,
      email,
      provider: 'local',
      password,
      confirmed: true,
      blocked: false,
      memberStatus: 'active',
      sessionVersion: 0,
      fullName: 'Demo Member',
      agency: agency?.documentId ?? null,
      role: await authenticatedRoleId(strapi),
    },
  } as never)
  strapi.log.info(`private area: created the demo member ${email}`)
}
