/**
 * Calls to the CMS the way the site's server makes them: /api/member-auth/* and /api/member-files
 * with the site's key (X-Site-Key), the visitor's address in X-Forwarded-For and the member's JWT.
 */
import type { CmsInstance } from '../harness'

export interface SiteCall {
  body?: unknown
  /** send the site's key (default) or not, or a given value */
  key?: boolean | string
  jwt?: string
  forwardedFor?: string
}

export interface SiteAnswer {
  status: number
  headers: Headers
  body: any
  bytes: Buffer
}

export async function siteCall(cms: CmsInstance, method: string, path: string, call: SiteCall = {}): Promise<SiteAnswer> {
  const headers: Record<string, string> = {}
  const key = call.key ?? true
  if (key !== false) {
    headers['x-site-key'] = key === true
      ? cms.siteKey
      : key
  }
  if (call.jwt)
    headers.authorization = `Bearer ${call.jwt}`
  if (call.forwardedFor)
    headers['x-forwarded-for'] = call.forwardedFor
  if (call.body !== undefined)
    headers['content-type'] = 'application/json'
  const response = await fetch(`${cms.url}${path}`, {
    method,
    headers,
    body: call.body === undefined
      ? undefined
      : JSON.stringify(call.body),
  })
  const bytes = Buffer.from(await response.arrayBuffer())
  let body: any = bytes.toString('utf8')
  try {
    body = JSON.parse(body)
  }
  catch {}
  return {
    status: response.status,
    headers: response.headers,
    body,
    bytes,
  }
}

export function signIn(cms: CmsInstance, email: string, password: string, call: SiteCall = {}) {
  return siteCall(cms, 'POST', '/api/member-auth/login', {
    ...call,
    body: { email, password },
  })
}
