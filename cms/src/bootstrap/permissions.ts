/**
 * Role permissions, set on every start and idempotent: running it twice changes nothing.
 * - Public: read-only (find / findOne) on the site's content types; nothing else of ours.
 * - Authenticated (invited members): the same reads; members-only entries become visible to them
 *   through src/utils/visibility.ts, not through permissions.
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

export const READ_ACTIONS = [
  ...READABLE_COLLECTIONS.flatMap(uid => [`${uid}.find`, `${uid}.findOne`]),
  ...READABLE_SINGLES.map(uid => `${uid}.find`),
]

/** Actions the Public role must never hold, whatever an editor ticks in the admin. */
const PUBLIC_FORBIDDEN = [
  /^api::/, // any write on our content types (reads are re-added below)
  /^plugin::upload\./,
  /^plugin::users-permissions\.(user|role|permissions)\./,
  /^plugin::users-permissions\.auth\.register$/,
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

async function revokeFromPublic(strapi: Core.Strapi, role: number) {
  const held = await strapi.db.query(PERMISSION_UID).findMany({
    where: { role },
  })
  const allowed = new Set(READ_ACTIONS)
  const forbidden = held.filter(
    (permission: { action: string }) =>
      !allowed.has(permission.action) && PUBLIC_FORBIDDEN.some(pattern => pattern.test(permission.action)),
  )
  if (forbidden.length > 0) {
    await strapi.db.query(PERMISSION_UID).deleteMany({
      where: {
        id: {
          $in: forbidden.map((p: { id: number }) => p.id),
        },
      },
    })
    strapi.log.info(`permissions: removed ${forbidden.length} action(s) the Public role must not hold`)
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
  await revokeFromPublic(strapi, publicRole)
  await grant(strapi, publicRole, READ_ACTIONS)
  await grant(strapi, authenticatedRole, READ_ACTIONS)
  await closeRegistration(strapi)
}
