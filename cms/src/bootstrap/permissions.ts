/**
 * Role permissions, set on every start and idempotent: running it twice changes nothing.
 * - Public: read-only (find / findOne) on the site's content types; nothing else of ours.
 * - Authenticated (invited members): the same reads plus member documents; members-only entries
 *   become visible to them through the Content API guard (src/content-api), not through permissions.
 * - Neither role holds any users-permissions action (sign-in, registration, password reset,
 *   /users/me...): members sign in through the site's endpoint, /api/member-auth, which checks the
 *   site's key, counts failures and ends sessions; the stock routes would bypass all that.
 * - Self-registration is closed: members are invited by the secretariat.
 */
import type { Core } from '@strapi/strapi'

const PERMISSION_UID = 'plugin::users-permissions.permission'
const ROLE_UID = 'plugin::users-permissions.role'

const READABLE_COLLECTIONS = [
  'api::news-article.news-article',
  'api::publication.publication',
  'api::member-agency.member-agency',
  'api::faq.faq',
  'api::topic.topic',
] as const

const READABLE_SINGLES = [
  'api::homepage.homepage',
  'api::site-setting.site-setting',
  'api::about-page.about-page',
] as const

/** Read by members (a live member JWT) and API tokens only. */
const MEMBER_COLLECTIONS = ['api::member-document.member-document'] as const

/** Content types whose published (and, where they have the field, `public`) entries anyone reads. */
export const PUBLIC_READABLE_TYPES: readonly string[] = [
  ...READABLE_COLLECTIONS,
  ...READABLE_SINGLES,
]
/** Content types whose published entries members read. */
export const MEMBER_READABLE_TYPES: readonly string[] = [
  ...PUBLIC_READABLE_TYPES,
  ...MEMBER_COLLECTIONS,
]

export const READ_ACTIONS = [
  ...READABLE_COLLECTIONS.flatMap(uid => [`${uid}.find`, `${uid}.findOne`]),
  ...READABLE_SINGLES.map(uid => `${uid}.find`),
]

export const MEMBER_READ_ACTIONS = [
  ...READ_ACTIONS,
  ...MEMBER_COLLECTIONS.flatMap(uid => [`${uid}.find`, `${uid}.findOne`]),
]

/** Actions the Public and Authenticated roles must never hold, whatever an editor ticks in the admin. */
const FORBIDDEN = [
  /^api::/, // any write on our content types, member reads for the public (the reads are re-added below)
  /^plugin::upload\./,
  /^plugin::users-permissions\./,
]

async function roleId(strapi: Core.Strapi, type: 'public' | 'authenticated') {
  const role = await strapi.db.query(ROLE_UID).findOne({
    where: { type },
  })
  if (!role)
    throw new Error(`users-permissions role "${type}" is missing`)
  return role.id as number
}

async function grant(strapi: Core.Strapi, role: number, actions: string[]) {
  const existing = await strapi.db.query(PERMISSION_UID).findMany({
    where: {
      role,
      action: { $in: actions },
    },
  })
  const have = new Set(existing.map((permission: { action: string }) => permission.action))
  for (const action of actions) {
    if (!have.has(action)) {
      await strapi.db.query(PERMISSION_UID).create({
        data: { action, role },
      })
    }
  }
}

async function revokeForbidden(strapi: Core.Strapi, role: number, name: string, allowedActions: string[]) {
  const held = await strapi.db.query(PERMISSION_UID).findMany({
    where: { role },
  })
  const allowed = new Set(allowedActions)
  const forbidden = held.filter(
    (permission: { action: string }) =>
      !allowed.has(permission.action) && FORBIDDEN.some(pattern => pattern.test(permission.action)),
  )
  if (forbidden.length > 0) {
    await strapi.db.query(PERMISSION_UID).deleteMany({
      where: {
        id: {
          $in: forbidden.map((p: { id: number }) => p.id),
        },
      },
    })
    strapi.log.info(`permissions: removed ${forbidden.length} action(s) the ${name} role must not hold`)
  }
}

async function closeRegistration(strapi: Core.Strapi) {
  const store = strapi.store({ type: 'plugin', name: 'users-permissions', key: 'advanced' })
  const advanced = ((await store.get()) ?? {}) as Record<string, unknown>
  if (advanced.allow_register !== false) {
    await store.set({
      value: { ...advanced, allow_register: false },
    })
  }
}

export async function setPermissions(strapi: Core.Strapi) {
  const publicRole = await roleId(strapi, 'public')
  const authenticatedRole = await roleId(strapi, 'authenticated')
  await revokeForbidden(strapi, publicRole, 'Public', READ_ACTIONS)
  await revokeForbidden(strapi, authenticatedRole, 'Authenticated', MEMBER_READ_ACTIONS)
  await grant(strapi, publicRole, READ_ACTIONS)
  await grant(strapi, authenticatedRole, MEMBER_READ_ACTIONS)
  await closeRegistration(strapi)
}
