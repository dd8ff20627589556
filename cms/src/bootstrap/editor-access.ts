/**
 * The admin's Editor role (strapi-editor) and the Private Area, set on every start and idempotent:
 * - download records: read only (the CMS writes them; src/private-area/members.ts also refuses
 *   admin writes, whatever a role allows);
 * - members (users-permissions users): read, create (invite) and update (resend, block), on the
 *   fields an editor uses; never the password. Strapi gives Editors no access to users by default.
 * Super Admins hold every permission already.
 */
import type { Core } from '@strapi/strapi'

const EDITOR_ROLE = 'strapi-editor'
const EXPLORER = 'plugin::content-manager.explorer'

const GRANTS: Array<{ subject: string, actions: string[], fields: string[] }> = [
  {
    subject: 'api::member-download.member-download',
    actions: ['read'],
    fields: [
      'downloadedAt',
      'user',
      'agency',
      'fileName',
      'documentTitle',
      'documentType',
    ],
  },
  {
    subject: 'plugin::users-permissions.user',
    actions: ['read', 'create', 'update'],
    fields: [
      'email',
      'fullName',
      'agency',
      'memberStatus',
      'invitationSentAt',
      'resendInvitation',
      'blocked',
      'confirmed',
      'role',
    ],
  },
]

/** Actions the Editor role must not hold on download records. */
const REVOKED = [
  {
    subject: 'api::member-download.member-download',
    actions: ['create', 'update', 'publish'],
  },
]

export async function setEditorAccess(strapi: Core.Strapi) {
  const role = await strapi.db.query('admin::role').findOne({
    where: { code: EDITOR_ROLE },
  })
  if (!role)
    return
  const held = await strapi.db.query('admin::permission').findMany({
    where: { role: role.id },
  }) as Array<{ id: number, action: string, subject: string | null }>
  const holds = (action: string, subject: string) => held.some(permission => permission.action === action && permission.subject === subject)

  const missing = GRANTS.flatMap(grant => grant.actions
    .map(action => `${EXPLORER}.${action}`)
    .filter(action => !holds(action, grant.subject))
    .map(action => ({
      action,
      subject: grant.subject,
      properties: { fields: grant.fields },
      conditions: [],
    })))
  if (missing.length > 0)
    await strapi.service('admin::role').addPermissions(role.id, missing)

  const revoked = held.filter(permission => REVOKED.some(rule => rule.subject === permission.subject
    && rule.actions.some(action => permission.action === `${EXPLORER}.${action}`)))
  if (revoked.length > 0) {
    await strapi.db.query('admin::permission').deleteMany({
      where: {
        id: {
          $in: revoked.map(permission => permission.id),
        },
      },
    })
  }
}
