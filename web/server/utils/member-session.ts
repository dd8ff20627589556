/**
 * The member session (docs/private-area.md): a nuxt-auth-utils sealed cookie holding the member
 * (`user`) and, in `secure` (never sent to the browser), their CMS JWT. Only this file reads or
 * writes it, so that:
 *  - no request without the cookie ever gets one (public pages stay cacheable and anonymous);
 *  - the cookie is httpOnly, SameSite=Lax, and Secure when NUXT_PUBLIC_SITE_URL is https;
 *  - signing out deletes the cookie rather than leaving an empty one behind.
 */
import type { H3Event } from 'h3'
import type { MemberAccount } from '../../shared/types/private-area'

/** Name of the session cookie (runtimeConfig.session.name). */
export function sessionCookieName(_event?: H3Event): string {
  return useRuntimeConfig().session.name || 'isecg-session'
}

/** True when a Cookie header carries a non-empty cookie called `name`. */
export function hasCookie(cookieHeader: string | string[] | undefined, name: string): boolean {
  const header = Array.isArray(cookieHeader)
    ? cookieHeader.join('; ')
    : cookieHeader
  if (!header)
    return false
  return header.split(';').some((part) => {
    const index = part.indexOf('=')
    return index > 0 && part.slice(0, index).trim() === name && part.slice(index + 1).trim() !== ''
  })
}

/** True when the request carries a member session cookie (valid or not). */
export function hasSessionCookie(event: H3Event): boolean {
  return hasCookie(getRequestHeader(event, 'cookie'), sessionCookieName(event))
}

/** Cookie attributes for every cookie the Private Area sets. */
export function privateCookieOptions(event: H3Event) {
  return {
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: siteOrigin(event).startsWith('https://'),
    path: '/',
  }
}

function sessionConfig(event: H3Event) {
  return {
    cookie: privateCookieOptions(event),
  }
}

export interface MemberSession {
  member: MemberAccount
  jwt: string
}

/** The signed-in member, or null. Never creates a session; drops a cookie it cannot use. */
export async function readMemberSession(event: H3Event): Promise<MemberSession | null> {
  if (!hasSessionCookie(event))
    return null
  const session = await getUserSession(event)
  if (session.user && session.secure?.jwt)
    return { member: session.user, jwt: session.secure.jwt }
  await endMemberSession(event) // expired, sealed with another password, or tampered with
  return null
}

/** Signs the member in: a fresh session with the member and their JWT. */
export async function startMemberSession(event: H3Event, answer: { jwt: string, member: MemberAccount }) {
  await replaceUserSession(event, {
    user: toMemberAccount(answer.member),
    secure: { jwt: answer.jwt },
    signedInAt: Date.now(),
  }, sessionConfig(event))
}

/** Signs the member out and removes the cookie. */
export async function endMemberSession(event: H3Event) {
  await clearUserSession(event, sessionConfig(event))
  deleteCookie(event, sessionCookieName(event), privateCookieOptions(event))
}

/** The member fields the site keeps (the CMS may send more). */
export function toMemberAccount(member: Partial<MemberAccount> | null | undefined): MemberAccount {
  const agency = member?.agency
  return {
    id: Number(member?.id) || 0,
    email: String(member?.email ?? ''),
    fullName: String(member?.fullName ?? ''),
    agency: agency
      ? {
          name: String(agency.name ?? ''),
          acronym: String(agency.acronym ?? ''),
        }
      : null,
  }
}
