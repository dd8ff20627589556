import type { Core } from '@strapi/strapi'
/**
 * Who is asking: the kind of caller behind the current Document Service call, read from the Koa
 * request context. Everything the Content API guard decides starts here.
 */
import { createHash, timingSafeEqual } from 'node:crypto'

/**
 * - `internal`: no HTTP request (bootstrap, seed, scripts, cron): not restricted.
 * - `admin`: a request to an admin route (the content manager, admin-authenticated): not restricted.
 * - `preview`: a Content API request carrying the preview credential (`X-Preview-Token` equal to
 *   `PREVIEW_TOKEN`): drafts and members-only entries, read-only, for the site's preview route.
 * - `member`: a signed-in member: a users-permissions JWT whose session is live (see
 *   `isLiveMemberSession`; src/middlewares/member-session.ts answers 401 to any other JWT and marks
 *   live ones in `state.memberSession`): published entries, members-only included.
 * - `token`: an API token issued by the secretariat: published entries, members-only included.
 * - `anonymous`: anyone else: published, public entries only.
 */
export type Caller = 'internal' | 'admin' | 'preview' | 'member' | 'token' | 'anonymous'

const PREVIEW_HEADER = 'x-preview-token'

/** Shortest preview secret accepted: a shorter PREVIEW_TOKEN disables preview rather than weakening it. */
const PREVIEW_TOKEN_MIN_LENGTH = 32

/** What src/middlewares/member-session.ts records for a request whose member JWT it accepted. */
export interface MemberSession {
  userId: number
  sessionVersion: number
}

/** The fields of a users-permissions user that decide whether its JWT still opens a session. */
export interface SessionUser {
  id: number
  blocked?: boolean | null
  memberStatus?: string | null
  sessionVersion?: number | null
}

interface RequestState {
  user?: unknown
  memberSession?: MemberSession
  route?: { info?: { type?: string } }
  auth?: { strategy?: { name?: string } | string, credentials?: unknown }
}

interface RequestLike {
  state?: RequestState
  get?: (header: string) => string
  request?: { headers?: Record<string, string | string[] | undefined> }
}

const digest = (value: string) => createHash('sha256').update(value).digest()

/**
 * Compares a presented secret with the configured one in constant time; a configured secret shorter
 * than `minLength` matches nothing (a weak secret disables the feature rather than weakening it).
 */
export function matchesSecret(presented: string | undefined, configured: string | undefined, minLength: number): boolean {
  if (!presented || !configured || configured.length < minLength)
    return false
  return timingSafeEqual(digest(presented), digest(configured))
}

/** Compares a presented preview token with the configured one in constant time. */
export function isPreviewToken(presented: string | undefined, configured = process.env.PREVIEW_TOKEN): boolean {
  return matchesSecret(presented, configured, PREVIEW_TOKEN_MIN_LENGTH)
}

/**
 * A member JWT opens a session only while its `sv` claim equals the user's `sessionVersion` (bumped
 * when the member is blocked or the password is reset) and the account is active and not blocked.
 */
export function isLiveMemberSession(user: SessionUser | null | undefined, sv: unknown): user is SessionUser {
  if (!user || user.blocked === true || user.memberStatus !== 'active')
    return false
  return typeof sv === 'number' && sv === (user.sessionVersion ?? 0)
}

function header(ctx: RequestLike, name: string): string | undefined {
  const value = ctx.request?.headers?.[name]
  return Array.isArray(value)
    ? value[0]
    : value
}

/** Classifies a Koa request context (or its absence). Pure: exported for unit tests. */
export function classifyCaller(ctx: RequestLike | undefined): Caller {
  if (!ctx)
    return 'internal'
  const state = ctx.state ?? {}
  // Only admin routes are trusted with drafts; a request with no route (a global middleware) or a
  // route of any other type is treated as a Content API request.
  if (state.route?.info?.type === 'admin')
    return 'admin'
  if (isPreviewToken(header(ctx, PREVIEW_HEADER)))
    return 'preview'
  if (state.user) {
    // a users-permissions user is a member only when the session middleware accepted its JWT
    const id = (state.user as { id?: unknown }).id
    return state.memberSession && String(state.memberSession.userId) === String(id)
      ? 'member'
      : 'anonymous'
  }
  const strategy = typeof state.auth?.strategy === 'string'
    ? state.auth.strategy
    : state.auth?.strategy?.name
  // API tokens created in the admin (Settings > API Tokens); the strategy is named
  // 'content-api-token' in Strapi 5.5x and 'api-token' before.
  if ((strategy === 'content-api-token' || strategy === 'api-token') && state.auth?.credentials)
    return 'token'
  return 'anonymous'
}

export function currentCaller(strapi: Core.Strapi): Caller {
  return classifyCaller(strapi.requestContext.get() as RequestLike | undefined)
}
