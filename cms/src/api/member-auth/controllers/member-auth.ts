/**
 * The site's endpoint for member accounts (docs/private-area.md, "The site's endpoint on the CMS").
 *
 * - Every route needs the site's key (X-Site-Key = SITE_API_KEY): missing or wrong, 401.
 * - Sign-in answers the same 400 for an unknown email, a wrong password and a pending or blocked
 *   account (the password is checked against a dummy hash when there is no account, so the time
 *   taken is the same). Failures are counted in the database (src/private-area/rate-limit.ts): per
 *   (email, address) 5 per 15 minutes, per email 10 lock it for 15 minutes, then 429 with
 *   Retry-After, even with the right password. The email is trimmed and lower-cased first, and the
 *   address is the socket's unless the site's key vouches for X-Forwarded-For. Every attempt is
 *   counted before anything is checked (one atomic update each, so parallel attempts cannot slip
 *   past the limit) and a successful one is taken back. A sign-in without a valid key counts as a
 *   failure of that email from the socket address, so calling the CMS directly gives no more tries
 *   than going through the site.
 * - Forgot-password always answers 202 { ok: true }; at most 3 reset mails per address and per
 *   account an hour, to active accounts only, sent after the answer.
 */
import type { Core } from '@strapi/strapi'
import type { MemberSession } from '../../../content-api/caller'
import type { MemberUser } from '../../../private-area/members'
import type { Count, Rule } from '../../../private-area/rate-limit'
import type { StoredToken } from '../../../private-area/tokens'
import { resetMail, sendMail } from '../../../private-area/mail'
import { findUser, issueMemberJwt, memberView, normalizeEmail, USER_UID } from '../../../private-area/members'
import { clear, forgive, hit, retryAfter } from '../../../private-area/rate-limit'
import { clientAddress, isSiteRequest } from '../../../private-area/site'
import { consumeToken, findValidToken, issueToken, revokeTokens } from '../../../private-area/tokens'

const MINUTE = 60_000
export const LIMITS = {
  /** sign-in failures of one email from one address */
  signInPerAddress: { windowMs: 15 * MINUTE, limit: 5 },
  /** sign-in failures of one email from anywhere: the 10th locks it for 15 minutes */
  signInPerAccount: { windowMs: 15 * MINUTE, limit: 10, blockMs: 15 * MINUTE },
  forgotPerAddress: { windowMs: 60 * MINUTE, limit: 3 },
  forgotPerAccount: { windowMs: 60 * MINUTE, limit: 3 },
} satisfies Record<string, Rule>

export const MIN_PASSWORD_LENGTH = 12
/** bcrypt reads 72 bytes of a password */
const MAX_PASSWORD_BYTES = 72

const INVALID_CREDENTIALS = 'Invalid email or password'
const INVALID_LINK = 'This link is invalid or has expired'

/** A bcrypt hash of a random string nobody knows: compared against when there is no account. */
const DUMMY_HASH = '$2a$10$15xBWifOqKxl0f8r9B3Gp.mNQloLjUt6Qd0cc970nYLeuMp0fUbuG'

interface Context {
  params: Record<string, string>
  request: { body?: unknown, headers: Record<string, string | string[] | undefined> }
  req: { socket: { remoteAddress?: string } }
  state: { memberSession?: MemberSession }
  status: number
  body: unknown
  set: (name: string, value: string) => void
}

function answer(ctx: Context, status: number, name: string, message: string) {
  ctx.status = status
  ctx.body = {
    data: null,
    error: { status, name, message, details: {} },
  }
}

const unauthorized = (ctx: Context) => answer(ctx, 401, 'UnauthorizedError', 'Missing or invalid credentials')
const notFound = (ctx: Context) => answer(ctx, 404, 'NotFoundError', 'Not Found')
const badRequest = (ctx: Context, message: string) => answer(ctx, 400, 'ValidationError', message)

function tooMany(ctx: Context, counts: Count[]) {
  ctx.set('Retry-After', String(Math.max(...counts.map(retryAfter))))
  answer(ctx, 429, 'RateLimitError', 'Too many attempts. Please try again later.')
}

function bodyOf(ctx: Context): Record<string, unknown> {
  const body = ctx.request.body
  return body && typeof body === 'object' && !Array.isArray(body)
    ? body as Record<string, unknown>
    : {}
}

/** Why a new password is refused, or undefined when it is acceptable. */
export function passwordProblem(password: unknown): string | undefined {
  if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH)
    return `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters`
  if (Buffer.byteLength(password) > MAX_PASSWORD_BYTES)
    return `Choose a password of at most ${MAX_PASSWORD_BYTES} characters`
  return undefined
}

const isActive = (user: MemberUser | null | undefined): user is MemberUser => Boolean(user && !user.blocked && user.memberStatus === 'active')
const isPending = (user: MemberUser | null | undefined): user is MemberUser => Boolean(user && !user.blocked && (user.memberStatus ?? 'pending') === 'pending')

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const signInKeys = (email: string, address: string) => ({
    perAddress: `sign-in:address:${email}\n${address}`,
    perAccount: `sign-in:account:${email}`,
  })

  /** Counts an attempt; the counts that are over their limit (empty: the attempt may proceed). */
  async function countAttempt(email: string, address: string): Promise<Count[]> {
    const keys = signInKeys(email, address)
    const perAddress = await hit(strapi, keys.perAddress, LIMITS.signInPerAddress)
    if (perAddress.hits > LIMITS.signInPerAddress.limit)
      return [perAddress]
    const perAccount = await hit(strapi, keys.perAccount, LIMITS.signInPerAccount)
    return perAccount.hits > LIMITS.signInPerAccount.limit
      ? [perAccount]
      : []
  }

  /** A successful sign-in: the address starts afresh and the attempt is not an account failure. */
  async function forgiveAttempt(email: string, address: string) {
    const keys = signInKeys(email, address)
    await clear(strapi, keys.perAddress)
    await forgive(strapi, keys.perAccount)
  }

  async function checkPassword(password: string, hash: string | null | undefined): Promise<boolean> {
    const users = strapi.plugin('users-permissions').service('user')
    const matches = await users.validatePassword(password, hash || DUMMY_HASH) as boolean
    return Boolean(hash) && matches
  }

  async function signedIn(ctx: Context, userId: number) {
    const user = await findUser(strapi, { id: userId })
    ctx.status = 200
    ctx.body = {
      jwt: issueMemberJwt(strapi, user!),
      member: memberView(user!),
    }
  }

  /** A token that is valid for its purpose and whose account may use it. */
  async function usableToken(token: unknown, purpose: 'invite' | 'reset'): Promise<StoredToken & { user: MemberUser } | null> {
    const stored = await findValidToken(strapi, token, purpose)
    const user = stored?.user as MemberUser | null | undefined
    const usable = purpose === 'invite'
      ? isPending(user)
      : isActive(user)
    return usable
      ? stored as StoredToken & { user: MemberUser }
      : null
  }

  async function sendReset(email: string) {
    const user = await findUser(strapi, { email })
    if (!isActive(user))
      return
    const token = await issueToken(strapi, user, 'reset')
    await sendMail(strapi, resetMail(user, token))
  }

  /** The address a valid, unused invitation or reset link was sent to; 404 otherwise. */
  async function showLink(ctx: Context, purpose: 'invite' | 'reset') {
    if (!isSiteRequest(ctx))
      return unauthorized(ctx)
    const stored = await usableToken(ctx.params.token, purpose)
    if (!stored)
      return notFound(ctx)
    ctx.body = { email: stored.user.email }
  }

  /**
   * Uses an invitation or reset link once: sets the password (with `data`), revokes the user's other
   * links of that kind, bumps the session version (earlier sessions end) and signs the member in.
   */
  async function redeemLink(ctx: Context, purpose: 'invite' | 'reset', data: Record<string, unknown>) {
    if (!isSiteRequest(ctx))
      return unauthorized(ctx)
    const { token, password } = bodyOf(ctx)
    const problem = passwordProblem(password)
    if (problem)
      return badRequest(ctx, problem)
    const stored = await usableToken(token, purpose)
    if (!stored || !(await consumeToken(strapi, stored)))
      return badRequest(ctx, INVALID_LINK)
    const { user } = stored
    await revokeTokens(strapi, user.id, purpose)
    await strapi.documents(USER_UID).update({
      documentId: user.documentId,
      data: { ...data, password, sessionVersion: (user.sessionVersion ?? 0) + 1 },
    } as never)
    return signedIn(ctx, user.id)
  }

  return {
    async login(ctx: Context) {
      const body = bodyOf(ctx)
      const email = normalizeEmail(body.email)
      const address = clientAddress(ctx)
      if (email) {
        const limited = await countAttempt(email, address)
        if (limited.length > 0)
          return tooMany(ctx, limited)
      }
      if (!isSiteRequest(ctx))
        return unauthorized(ctx)
      const password = typeof body.password === 'string'
        ? body.password
        : ''
      if (!email || !password)
        return badRequest(ctx, INVALID_CREDENTIALS)
      const user = await findUser(strapi, { email })
      const passwordMatches = await checkPassword(password, user?.password)
      if (!passwordMatches || !isActive(user))
        return badRequest(ctx, INVALID_CREDENTIALS)
      await forgiveAttempt(email, address)
      return signedIn(ctx, user.id)
    },

    invitation: (ctx: Context) => showLink(ctx, 'invite'),

    // the account becomes active; any earlier session ends
    acceptInvitation: (ctx: Context) => redeemLink(ctx, 'invite', { confirmed: true, memberStatus: 'active' }),

    async forgotPassword(ctx: Context) {
      if (!isSiteRequest(ctx))
        return unauthorized(ctx)
      const email = normalizeEmail(bodyOf(ctx).email)
      const address = clientAddress(ctx)
      ctx.status = 202
      ctx.body = { ok: true }
      if (!email)
        return
      const perAddress = await hit(strapi, `forgot:address:${address}`, LIMITS.forgotPerAddress)
      const perAccount = await hit(strapi, `forgot:account:${email}`, LIMITS.forgotPerAccount)
      if (perAddress.hits > LIMITS.forgotPerAddress.limit || perAccount.hits > LIMITS.forgotPerAccount.limit)
        return
      // after the answer: whether a mail goes out must not show in the time taken
      sendReset(email).catch((error: Error) => strapi.log.error(`private area: a reset mail could not be sent: ${error.message}`))
    },

    resetToken: (ctx: Context) => showLink(ctx, 'reset'),

    // the new password and the end of every earlier session, in one update
    resetPassword: (ctx: Context) => redeemLink(ctx, 'reset', {}),

    async me(ctx: Context) {
      if (!isSiteRequest(ctx))
        return unauthorized(ctx)
      // set by src/middlewares/member-session.ts only for a live member JWT
      const session = ctx.state.memberSession
      const user = session
        ? await findUser(strapi, { id: session.userId })
        : null
      if (!isActive(user))
        return unauthorized(ctx)
      ctx.body = {
        member: memberView(user),
      }
    },
  }
}
