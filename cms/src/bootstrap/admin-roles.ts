/**
 * The admin's Author and Editor roles for news articles and publications (README "Editors"), set
 * on every start and idempotent: running it twice changes nothing and creates no duplicate rows.
 *
 * - Author (`strapi-author`, created when missing): writes drafts. In the Content Manager it holds
 *   exactly: read of news articles and publications (every field, the schedule too, read-only) and
 *   of topics and member agencies (to link them); create and update of news articles and
 *   publications without the schedule fields, update only of the entries they created (Strapi's
 *   "is creator" condition: a reviewed entry of someone else cannot change under an Editor's
 *   schedule). Nothing else in the Content Manager: no publish, no delete (deleting a document
 *   removes its published version too), no other content type. Its media library permissions
 *   (Strapi's defaults for Authors) are added when missing and otherwise left alone.
 * - Editor (`strapi-editor`): publishes and schedules. It holds read, create and update of news
 *   articles and publications with the schedule fields, delete and publish; a missing permission is
 *   added and the schedule fields are added to a field list that lacks them (Strapi adds new
 *   optional fields to no existing role). Its other permissions are left as they are
 *   (./editor-access.ts sets the Private Area and news notification ones).
 * Super Admins hold every permission already.
 */
import type { Core, UID } from '@strapi/strapi'
import { SCHEDULE_FIELDS, SCHEDULED_TYPES } from '../scheduling/schedule'

export const AUTHOR_ROLE = 'strapi-author'
export const EDITOR_ROLE = 'strapi-editor'
const EXPLORER = 'plugin::content-manager.explorer'
const IS_CREATOR = 'admin::is-creator'

/** What Authors link news and publications to. */
const LINKED_TYPES = ['api::topic.topic', 'api::member-agency.member-agency'] as const

interface Permission {
  id?: number
  action: string
  subject?: string | null
  properties?: { fields?: string[] } & Record<string, unknown>
  conditions?: string[]
  actionParameters?: Record<string, unknown>
}

/** Strapi's default media library permissions of an Author (admin's role service). */
const AUTHOR_UPLOADS: Permission[] = [
  {
    action: 'plugin::upload.read',
    conditions: [IS_CREATOR],
  },
  { action: 'plugin::upload.configure-view' },
  { action: 'plugin::upload.assets.create' },
  {
    action: 'plugin::upload.assets.update',
    conditions: [IS_CREATOR],
  },
  { action: 'plugin::upload.assets.download' },
  { action: 'plugin::upload.assets.copy-link' },
]

/** The fields the admin's permission forms list for a content type, in schema order. */
function fieldsOf(strapi: Core.Strapi, uid: string): string[] {
  return strapi.service('admin::content-type').getNestedFields(strapi.contentType(uid as UID.ContentType), {
    components: strapi.components,
  }) as string[]
}

const withoutSchedule = (fields: string[]) => fields.filter(field => !(SCHEDULE_FIELDS as readonly string[]).includes(field))

function authorExplorerPermissions(strapi: Core.Strapi): Permission[] {
  const permissions: Permission[] = []
  for (const uid of SCHEDULED_TYPES) {
    const fields = fieldsOf(strapi, uid)
    permissions.push(
      {
        action: `${EXPLORER}.read`,
        subject: uid,
        properties: { fields },
        conditions: [],
      },
      {
        action: `${EXPLORER}.create`,
        subject: uid,
        properties: {
          fields: withoutSchedule(fields),
        },
        conditions: [],
      },
      {
        action: `${EXPLORER}.update`,
        subject: uid,
        properties: {
          fields: withoutSchedule(fields),
        },
        conditions: [IS_CREATOR],
      },
    )
  }
  for (const uid of LINKED_TYPES) {
    permissions.push({
      action: `${EXPLORER}.read`,
      subject: uid,
      properties: {
        fields: fieldsOf(strapi, uid),
      },
      conditions: [],
    })
  }
  return permissions
}

async function roleByCode(strapi: Core.Strapi, code: string) {
  return await strapi.db.query('admin::role').findOne({
    where: { code },
  }) as { id: number } | null
}

function comparable(permission: Permission) {
  return JSON.stringify({
    action: permission.action,
    subject: permission.subject ?? null,
    fields: permission.properties?.fields ?? null,
    conditions: [
      ...(permission.conditions ?? []),
    ].sort(),
  })
}

async function heldBy(strapi: Core.Strapi, roleId: number): Promise<Permission[]> {
  return await strapi.db.query('admin::permission').findMany({
    where: { role: roleId },
    orderBy: { id: 'asc' },
  }) as Permission[]
}

async function ensureAuthorRole(strapi: Core.Strapi): Promise<number> {
  const existing = await roleByCode(strapi, AUTHOR_ROLE)
  if (existing)
    return existing.id
  const created = await strapi.service('admin::role').create({
    name: 'Author',
    code: AUTHOR_ROLE,
    description: 'Authors write news articles and publications as drafts; Editors publish and schedule them.',
  }) as { id: number }
  strapi.log.info('admin roles: created the Author role')
  return created.id
}

/** The Author's Content Manager permissions made exactly those above; its media permissions completed. */
async function setAuthorRole(strapi: Core.Strapi): Promise<void> {
  const roleId = await ensureAuthorRole(strapi)
  const held = await heldBy(strapi, roleId)
  const wanted = authorExplorerPermissions(strapi)
  const wantedKeys = new Set(wanted.map(comparable))
  const heldKeys = new Set(held.map(comparable))
  const extra = held.filter(permission => permission.action.startsWith(`${EXPLORER}.`) && !wantedKeys.has(comparable(permission)))
  const uploads = AUTHOR_UPLOADS.filter(upload => !held.some(permission => permission.action === upload.action))
  const missing = [
    ...wanted.filter(permission => !heldKeys.has(comparable(permission))),
    ...uploads,
  ]
  if (extra.length) {
    await strapi.db.query('admin::permission').deleteMany({
      where: {
        id: {
          $in: extra.map(permission => permission.id),
        },
      },
    })
  }
  if (missing.length)
    await strapi.service('admin::role').addPermissions(roleId, missing)
  if (extra.length || missing.length)
    strapi.log.info(`admin roles: Author role set (${extra.length} permission(s) removed, ${missing.length} added)`)
}

/** The Editor publishes and schedules: the permissions it needs are added, nothing is taken away. */
async function setEditorRole(strapi: Core.Strapi): Promise<void> {
  const role = await roleByCode(strapi, EDITOR_ROLE)
  if (!role) {
    strapi.log.warn('admin roles: there is no Editor role (strapi-editor); nobody but Super Admins can publish or schedule')
    return
  }
  const held = await heldBy(strapi, role.id)
  const missing: Permission[] = []
  for (const uid of SCHEDULED_TYPES) {
    const fields = fieldsOf(strapi, uid)
    for (const action of [
      'read',
      'create',
      'update',
      'delete',
      'publish',
    ]) {
      const withFields = action === 'read' || action === 'create' || action === 'update'
      const permission = held.find(candidate => candidate.action === `${EXPLORER}.${action}` && candidate.subject === uid)
      if (!permission) {
        missing.push({
          action: `${EXPLORER}.${action}`,
          subject: uid,
          properties: withFields
            ? { fields }
            : {},
          conditions: [],
        })
        continue
      }
      const list = permission.properties?.fields
      // no field list: every field (Strapi's meaning); a list: the schedule fields must be in it
      if (!withFields || !Array.isArray(list) || SCHEDULE_FIELDS.every(field => list.includes(field)))
        continue
      const completed = [
        ...list,
        ...SCHEDULE_FIELDS.filter(field => !list.includes(field)),
      ]
      await strapi.db.query('admin::permission').update({
        where: { id: permission.id },
        data: {
          properties: { ...permission.properties, fields: completed },
        },
      })
    }
  }
  if (missing.length) {
    await strapi.service('admin::role').addPermissions(role.id, missing)
    strapi.log.info(`admin roles: added ${missing.length} permission(s) to the Editor role`)
  }
}

export async function setAdminRoles(strapi: Core.Strapi): Promise<void> {
  await setAuthorRole(strapi)
  await setEditorRole(strapi)
}
