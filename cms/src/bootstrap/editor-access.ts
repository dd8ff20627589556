/**
 * The admin's Editor role (strapi-editor) and the Private Area, set on every start and idempotent:
 * - download records: read only (the CMS writes them; src/private-area/members.ts also refuses
 *   admin writes, whatever a role allows);
 * - members (users-permissions users): read, create (invite) and update (resend, block), on the
 *   fields an editor uses; never the password. Strapi gives Editors no access to users by default.
 * - news notifications (docs/notifications.md): subscribers read, update (subscription only: an editor
 *   records an unsubscribe received by mail) and delete (erase); consent events and news mailings
 *   read only. Strapi gives a new Editor role every action on every content type, so these
 *   subjects are set exactly: any other permission of the role on them is removed.
 * - agency webhooks (src/agency-webhooks): read, create, update and delete of the endpoints; the
 *   secret is never readable and the delivery log is the CMS's, so both are outside the field lists.
 * Super Admins hold every permission already (src/notifications/admin.ts and ledger.ts refuse what
 * no one may do, whatever a role allows).
 */
import type { Core } from '@strapi/strapi'
import { AGENCY_WEBHOOK_LOG_FIELDS } from '../agency-webhooks'

const EDITOR_ROLE = 'strapi-editor'
const EXPLORER = 'plugin::content-manager.explorer'

interface Grant {
  subject: string
  actions: string[]
  /** none for actions without fields (delete) */
  fields?: string[]
}

const SUBSCRIBER_FIELDS = [
  'email',
  'subscription',
  'allNews',
  'topics',
  'requestedAt',
  'confirmedAt',
  'unsubscribedAt',
  'policyVersion',
  'subjectRef',
]

const AGENCY_WEBHOOK_FIELDS = [
  'agency',
  'url',
  'newsPublished',
  'publicationPublished',
  'publicationUpdated',
  'publicationSuperseded',
  'enabled',
]

/** The only permissions the Editor role holds on these subjects. */
const EXACT: Grant[] = [
  {
    subject: 'api::subscriber.subscriber',
    actions: ['read'],
    fields: SUBSCRIBER_FIELDS,
  },
  {
    subject: 'api::subscriber.subscriber',
    actions: ['update'],
    fields: ['subscription'],
  },
  {
    subject: 'api::subscriber.subscriber',
    actions: ['delete'],
  },
  {
    subject: 'api::consent-event.consent-event',
    actions: ['read'],
    fields: [
      'type',
      'occurredAt',
      'subjectRef',
      'subscriber',
      'policyVersion',
      'source',
      'clientHash',
      'choice',
    ],
  },
  {
    subject: 'api::news-mailing.news-mailing',
    actions: ['read'],
    fields: [
      'articleDocumentId',
      'title',
      'progress',
      'recipients',
      'sent',
      'pending',
      'failed',
      'startedAt',
      'finishedAt',
    ],
  },
  // agencies' webhook endpoints (src/agency-webhooks): the secret is private (never read), the
  // log fields are the CMS's (read only)
  {
    subject: 'api::agency-webhook.agency-webhook',
    actions: ['read'],
    fields: [
      ...AGENCY_WEBHOOK_FIELDS,
      ...AGENCY_WEBHOOK_LOG_FIELDS,
    ],
  },
  {
    subject: 'api::agency-webhook.agency-webhook',
    actions: ['create', 'update'],
    fields: AGENCY_WEBHOOK_FIELDS,
  },
  {
    subject: 'api::agency-webhook.agency-webhook',
    actions: ['delete'],
  },
]

const GRANTS: Grant[] = [
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
  await setExactPermissions(strapi, role.id)
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
      properties: grant.fields
        ? { fields: grant.fields }
        : {},
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

function sameFields(a: string[] | undefined, b: string[] | undefined) {
  return JSON.stringify([
    ...(a ?? []),
  ].sort()) === JSON.stringify([
    ...(b ?? []),
  ].sort())
}

/** Makes the role's permissions on the EXACT subjects exactly those listed (idempotent). */
async function setExactPermissions(strapi: Core.Strapi, roleId: number) {
  const subjects = [
    ...new Set(EXACT.map(grant => grant.subject)),
  ]
  const wanted = EXACT.flatMap(grant => grant.actions.map(action => ({
    action: `${EXPLORER}.${action}`,
    subject: grant.subject,
    fields: grant.fields,
  })))
  const held = await strapi.db.query('admin::permission').findMany({
    where: {
      role: roleId,
      subject: { $in: subjects },
    },
  }) as Array<{ id: number, action: string, subject: string, properties?: { fields?: string[] }, conditions?: unknown[] }>
  const matches = (permission: typeof held[number], want: typeof wanted[number]) => permission.action === want.action
    && permission.subject === want.subject
    && sameFields(permission.properties?.fields, want.fields)
    && (permission.conditions ?? []).length === 0
  const extra = held.filter(permission => !wanted.some(want => matches(permission, want)))
  if (extra.length > 0) {
    await strapi.db.query('admin::permission').deleteMany({
      where: {
        id: {
          $in: extra.map(permission => permission.id),
        },
      },
    })
  }
  const missing = wanted.filter(want => !held.some(permission => matches(permission, want)))
  if (missing.length > 0) {
    await strapi.service('admin::role').addPermissions(roleId, missing.map(want => ({
      action: want.action,
      subject: want.subject,
      properties: want.fields
        ? { fields: want.fields }
        : {},
      conditions: [],
    })))
  }
}
