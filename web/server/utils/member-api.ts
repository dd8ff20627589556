/**
 * The CMS's endpoints for this site: /api/member-auth/* and /api/member-files/* (docs/private-area.md),
 * /api/subscriptions/* (docs/notifications.md). Only this server calls them, always with the shared secret (X-Site-Key, NUXT_SITE_API_KEY) and the
 * member's own address (X-Forwarded-For), so that the CMS counts sign-in attempts per person, not
 * per site.
 */
import type { H3Event } from 'h3'
import type { MemberAccount } from '../../shared/types/private-area'
import { isIP } from 'node:net'

/**
 * The address of the person making the request. Without proxies (NUXT_PROXY_HOPS=0) the connection's
 * address; behind N proxies, the entry the outermost of them appended to X-Forwarded-For (entries
 * further left are written by the client and cannot be trusted).
 */
export function clientAddress(event: H3Event): string {
  const socket = (event.node.req.socket?.remoteAddress ?? '').replace(/^::ffff:/, '')
  const hops = Math.max(0, Math.floor(Number(useRuntimeConfig().proxyHops) || 0))
  if (hops === 0)
    return socket
  const forwarded = (getRequestHeader(event, 'x-forwarded-for') ?? '').split(',').map(part => part.trim()).filter(Boolean)
  const entry = forwarded[forwarded.length - hops]?.replace(/^::ffff:/, '')
  return entry && isIP(entry)
    ? entry
    : socket
}

/** Headers for every call to the CMS's member endpoints. */
export function memberHeaders(event: H3Event, jwt?: string): Record<string, string> {
  const headers: Record<string, string> = {
    'accept': 'application/json',
    'x-site-key': useRuntimeConfig().siteApiKey,
    'x-forwarded-for': clientAddress(event),
  }
  if (jwt)
    headers.authorization = `Bearer ${jwt}`
  return headers
}

export interface MemberAuthAnswer<T> {
  /** HTTP status of the CMS; 0 when it could not be reached. */
  status: number
  data: T | null
  /** Seconds, from Retry-After on a 429. */
  retryAfter: number | null
  /** The field errors of a 400 (Strapi's `error.details.errors`: [{ field, message }]), else []. */
  fieldErrors: { field: string, message: string }[]
}

export interface SignedIn { jwt: string, member: MemberAccount }

/**
 * Calls one of the CMS's endpoints for this site (/api/<path>: member-auth, subscriptions), with
 * X-Site-Key and the visitor's address; a body makes it a JSON POST. Never throws: a CMS that
 * cannot be reached is status 0.
 */
export async function siteApi<T = unknown>(event: H3Event, path: string, options: { body?: Record<string, unknown>, jwt?: string } = {}): Promise<MemberAuthAnswer<T>> {
  const headers = memberHeaders(event, options.jwt)
  if (options.body)
    headers['content-type'] = 'application/json'
  try {
    const response = await fetch(`${cmsOrigin(event)}/api/${path}`, {
      method: options.body
        ? 'POST'
        : 'GET',
      headers,
      body: options.body
        ? JSON.stringify(options.body)
        : undefined,
      redirect: 'manual',
      signal: AbortSignal.timeout(10_000),
    })
    const data = await response.json().catch(() => null) as T | null
    const retryAfter = Number.parseInt(response.headers.get('retry-after') ?? '', 10)
    const details = response.ok
      ? null
      : (data as { error?: { details?: { errors?: unknown } } } | null)?.error?.details?.errors
    return {
      status: response.status,
      data: response.ok
        ? data
        : null,
      retryAfter: Number.isFinite(retryAfter)
        ? retryAfter
        : null,
      fieldErrors: Array.isArray(details)
        ? details.filter((e): e is { field: string, message: string } => typeof e?.field === 'string' && typeof e?.message === 'string')
        : [],
    }
  }
  catch (error) {
    console.error('[site-api]', path.split('/').slice(0, 2).join('/'), (error as Error).message)
    return {
      status: 0,
      data: null,
      retryAfter: null,
      fieldErrors: [],
    }
  }
}

/** Calls /api/member-auth/<path>. Never throws: a CMS that cannot be reached is status 0. */
export function memberAuth<T = unknown>(event: H3Event, path: string, options: { body?: Record<string, string>, jwt?: string } = {}): Promise<MemberAuthAnswer<T>> {
  return siteApi<T>(event, `member-auth/${path}`, options)
}

/** A CMS answer with a member's JWT, as the session keeps it (null when it is not one). */
export function signedIn(answer: MemberAuthAnswer<SignedIn>): SignedIn | null {
  const data = answer.data
  return answer.status === 200 && data && typeof data.jwt === 'string' && data.jwt && data.member
    ? {
        jwt: data.jwt,
        member: toMemberAccount(data.member),
      }
    : null
}
