/**
 * Member sessions end when the CMS says so. A request carrying a users-permissions JWT (any route:
 * the Content API, /api/member-auth/me, /api/member-files) is answered 401 unless the JWT's `sv`
 * equals the user's `sessionVersion` and the account is active and not blocked
 * (content-api/caller.ts `isLiveMemberSession`); accepted ones are recorded in
 * `ctx.state.memberSession`, which is what makes the caller a member. Other bearer tokens (API
 * tokens, admin tokens) are left to their own strategies.
 */
import type { Core } from '@strapi/strapi'
import type { MemberSession, SessionUser } from '../content-api/caller'
import { errors } from '@strapi/utils'
import { isLiveMemberSession } from '../content-api/caller'

interface Context {
  request: { headers: Record<string, string | string[] | undefined> }
  state: { memberSession?: MemberSession }
}

function bearer(ctx: Context): string | undefined {
  const value = ctx.request.headers.authorization
  const match = typeof value === 'string'
    ? /^bearer\s+(\S+)$/i.exec(value.trim())
    : null
  return match?.[1]
}

async function verify(strapi: Core.Strapi, token: string): Promise<Record<string, unknown> | null> {
  try {
    return await strapi.plugin('users-permissions').service('jwt').verify(token) as Record<string, unknown>
  }
  catch {
    return null
  }
}

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => async (ctx: Context, next: () => Promise<unknown>) => {
  const token = bearer(ctx)
  const payload = token
    ? await verify(strapi, token)
    : null
  if (payload && payload.id !== undefined && payload.id !== null) {
    const user = await strapi.db.query('plugin::users-permissions.user').findOne({
      where: { id: payload.id },
      select: [
        'id',
        'blocked',
        'memberStatus',
        'sessionVersion',
      ],
    }) as SessionUser | null
    if (!isLiveMemberSession(user, payload.sv))
      throw new errors.UnauthorizedError('Missing or invalid credentials')
    ctx.state.memberSession = { userId: user.id, sessionVersion: user.sessionVersion ?? 0 }
  }
  await next()
}
