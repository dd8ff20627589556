/**
 * Member accounts: users-permissions users extended with fullName, agency, memberStatus,
 * sessionVersion, invitationSentAt and resendInvitation (src/extensions/users-permissions).
 *
 * What editors do in the admin is turned into account changes by a Document Service middleware
 * (not lifecycles, which fire per database row in Strapi 5), for calls made by admin requests only:
 * - create (email, full name, agency; no password): username = email, unconfirmed, `pending`, a
 *   random unusable password, the Authenticated role; then an invitation is mailed;
 * - `resendInvitation` ticked: a fresh invitation (older ones revoked) and the box unticked;
 * - `blocked` ticked: `blocked`, and `sessionVersion` bumped so that its sessions end at once;
 *   unticked: back to `active` (or `pending` if the invitation was never accepted);
 * - a password typed by an editor also ends the member's sessions.
 * `memberStatus`, `sessionVersion` and `invitationSentAt` are the CMS's: editors' values are ignored.
 */
import type { Core } from '@strapi/strapi'
import { randomBytes } from 'node:crypto'
import { errors } from '@strapi/utils'
import { currentCaller } from '../content-api/caller'
import { invitationMail, sendMail } from './mail'
import { issueToken } from './tokens'

export const USER_UID = 'plugin::users-permissions.user'
export const DOWNLOAD_UID = 'api::member-download.member-download'

export type MemberStatus = 'pending' | 'active' | 'blocked'

export interface Member {
  id: number
  email: string
  fullName: string
  agency: { name: string, acronym: string } | null
}

export interface MemberUser {
  id: number
  documentId: string
  email: string
  fullName?: string | null
  memberStatus?: string | null
  blocked?: boolean | null
  confirmed?: boolean | null
  sessionVersion?: number | null
  password?: string | null
  agency?: { id?: number, documentId?: string, name: string, acronym: string } | null
}

/** The member as the site sees it. */
export function memberView(user: MemberUser): Member {
  return {
    id: user.id,
    email: user.email,
    fullName: user.fullName ?? '',
    agency: user.agency
      ? { name: user.agency.name, acronym: user.agency.acronym }
      : null,
  }
}

export function normalizeEmail(email: unknown) {
  return typeof email === 'string'
    ? email.trim().toLowerCase()
    : ''
}

/** A users-permissions JWT carrying the session version (`sv`), see content-api/caller.ts. */
export function issueMemberJwt(strapi: Core.Strapi, user: { id: number, sessionVersion?: number | null }): string {
  return strapi.plugin('users-permissions').service('jwt').issue({ id: user.id, sv: user.sessionVersion ?? 0 })
}

/** A user by id, with what the member endpoints need (password hash included: internal use only). */
export async function findUser(strapi: Core.Strapi, where: Record<string, unknown>): Promise<MemberUser | null> {
  return strapi.db.query(USER_UID).findOne({
    where,
    populate: { agency: true },
  }) as Promise<MemberUser | null>
}

export const randomPassword = () => randomBytes(32).toString('base64url')

/** Whether a relation input (id, documentId, { connect }, { set }, list) names at least one entry. */
export function namesEntry(value: unknown): boolean {
  if (value === null || value === undefined || value === '')
    return false
  if (typeof value === 'number' || typeof value === 'string')
    return true
  if (Array.isArray(value))
    return value.some(namesEntry)
  if (typeof value === 'object') {
    const relation = value as Record<string, unknown>
    if ('id' in relation || 'documentId' in relation)
      return namesEntry(relation.id) || namesEntry(relation.documentId)
    return namesEntry(relation.connect) || namesEntry(relation.set)
  }
  return false
}

/** Whether a relation input empties a single relation (null, or a disconnect with nothing connected). */
function removesEntry(value: unknown): boolean {
  if (value === null || value === '')
    return true
  if (typeof value !== 'object' || Array.isArray(value) || value === null)
    return false
  const relation = value as Record<string, unknown>
  return namesEntry(relation.disconnect) && !namesEntry(relation.connect) && !namesEntry(relation.set)
}

export async function authenticatedRoleId(strapi: Core.Strapi): Promise<number> {
  const role = await strapi.db.query('plugin::users-permissions.role').findOne({
    where: { type: 'authenticated' },
  })
  if (!role)
    throw new Error('users-permissions role "authenticated" is missing')
  return role.id as number
}

/** Mails a fresh invitation; records when it was sent. A failure is logged, not thrown. */
export async function sendInvitation(strapi: Core.Strapi, userId: number): Promise<boolean> {
  const user = await findUser(strapi, { id: userId })
  if (!user || user.blocked || user.memberStatus === 'blocked' || user.memberStatus === 'active')
    return false
  try {
    const token = await issueToken(strapi, user, 'invite')
    await sendMail(strapi, invitationMail(user, token))
    await strapi.db.query(USER_UID).update({
      where: { id: user.id },
      data: {
        invitationSentAt: new Date(),
      },
    })
    return true
  }
  catch (error) {
    strapi.log.error(`private area: the invitation to user ${user.id} could not be sent: ${(error as Error).message}`)
    return false
  }
}

const AUDIT_ACTIONS_FOR_EDITORS = new Set([
  'findMany',
  'findFirst',
  'findOne',
  'count',
  'delete',
])

const CMS_MAINTAINED = ['memberStatus', 'sessionVersion', 'invitationSentAt'] as const

interface UserParams {
  documentId?: string
  data?: Record<string, unknown>
}

async function onAdminCreate(strapi: Core.Strapi, params: UserParams, next: () => Promise<unknown>) {
  const data = { ...params.data }
  for (const field of CMS_MAINTAINED) delete data[field]
  const email = normalizeEmail(data.email)
  if (!email)
    throw new errors.ValidationError('Enter the member\'s email address')
  if (!namesEntry(data.agency))
    throw new errors.ValidationError('Choose the member\'s agency')
  const blocked = data.blocked === true
  Object.assign(data, {
    email,
    username: email,
    provider: 'local',
    confirmed: false,
    password: randomPassword(),
    memberStatus: blocked
      ? 'blocked'
      : 'pending',
    sessionVersion: 0,
    resendInvitation: false,
    role: namesEntry(data.role)
      ? data.role
      : await authenticatedRoleId(strapi),
  })
  params.data = data
  const created = await next() as { id?: number } | null
  if (created?.id && !blocked)
    await sendInvitation(strapi, created.id)
  return created
}

async function onAdminUpdate(strapi: Core.Strapi, params: UserParams, next: () => Promise<unknown>) {
  const existing = params.documentId
    ? await strapi.db.query(USER_UID).findOne({
      where: { documentId: params.documentId },
      select: [
        'id',
        'blocked',
        'confirmed',
        'memberStatus',
        'sessionVersion',
      ],
    }) as MemberUser | null
    : null
  if (!existing || !params.data)
    return next()
  const data = { ...params.data }
  for (const field of CMS_MAINTAINED) delete data[field]
  if ('email' in data) {
    const email = normalizeEmail(data.email)
    if (!email)
      throw new errors.ValidationError('Enter the member\'s email address')
    Object.assign(data, { email, username: email })
  }
  if ('agency' in data && removesEntry(data.agency))
    throw new errors.ValidationError('A member needs an agency')

  let endSessions = false
  let status = (existing.memberStatus ?? 'pending') as MemberStatus
  if (data.blocked === true && !existing.blocked) {
    status = 'blocked'
    endSessions = true
  }
  else if (data.blocked === false && existing.blocked) {
    status = existing.confirmed
      ? 'active'
      : 'pending'
  }
  if (typeof data.password === 'string' && data.password !== '')
    endSessions = true
  if (status !== existing.memberStatus)
    data.memberStatus = status
  if (endSessions)
    data.sessionVersion = (existing.sessionVersion ?? 0) + 1

  const resend = data.resendInvitation === true
  if (resend) {
    if (status === 'active')
      throw new errors.ValidationError('This member has already accepted the invitation. To choose a new password they use "Forgot your password?" on the site.')
    if (status === 'blocked')
      throw new errors.ValidationError('Unblock the member before resending the invitation.')
  }
  data.resendInvitation = false
  params.data = data
  const result = await next()
  if (resend)
    await sendInvitation(strapi, existing.id)
  return result
}

export function registerMemberAccounts(strapi: Core.Strapi) {
  strapi.documents.use(async (context, next) => {
    // the download records are an audit trail: editors read them (and may delete old ones)
    if (context.uid === DOWNLOAD_UID && !AUDIT_ACTIONS_FOR_EDITORS.has(context.action) && currentCaller(strapi) === 'admin')
      throw new errors.ForbiddenError('Download records are written by the CMS and cannot be changed')
    if (context.uid !== USER_UID || currentCaller(strapi) !== 'admin')
      return next()
    const params = context.params as UserParams
    type Result = ReturnType<typeof next>
    if (context.action === 'create')
      return onAdminCreate(strapi, params, next) as Result
    if (context.action === 'update')
      return onAdminUpdate(strapi, params, next) as Result
    return next()
  })
}
