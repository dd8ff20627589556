/**
 * The site's endpoint for news notification subscriptions (docs/notifications.md, "The site's
 * endpoint on the CMS"); the work is in src/notifications/subscriptions.ts.
 *
 * - Every route needs the site's key (X-Site-Key = SITE_API_KEY): missing or wrong, 401.
 * - subscribe counts the request per client address first (10 an hour, then 429 with
 *   Retry-After), then validates (400 with details.errors), then answers 202 { ok: true } before
 *   it reads anything about the address: the same answer, in the same time, for every address.
 * - The ledger keeps an HMAC of the client address (links.ts clientHash), never the address.
 */
import type { Core } from '@strapi/strapi'
import type { FieldError } from '../../../notifications/subscriptions'
import type { Count } from '../../../private-area/rate-limit'
import { clientHash } from '../../../notifications/links'
import {
  changeChoice,
  confirm,
  countClientRequest,
  subscribe,
  subscriberOfConfirmToken,
  subscriberOfManageToken,
  subscriberView,
  unsubscribe,
  validateChoice,
  validateSubscribe,
} from '../../../notifications/subscriptions'
import { retryAfter } from '../../../private-area/rate-limit'
import { clientAddress, isSiteRequest } from '../../../private-area/site'

interface Context {
  params: Record<string, string>
  request: { body?: unknown, headers: Record<string, string | string[] | undefined> }
  req: { socket: { remoteAddress?: string } }
  status: number
  body: unknown
  set: (name: string, value: string) => void
}

function answer(ctx: Context, status: number, name: string, message: string, details: Record<string, unknown> = {}) {
  ctx.status = status
  ctx.body = {
    data: null,
    error: { status, name, message, details },
  }
}

const unauthorized = (ctx: Context) => answer(ctx, 401, 'UnauthorizedError', 'Missing or invalid credentials')
const notFound = (ctx: Context) => answer(ctx, 404, 'NotFoundError', 'Not Found')
const invalid = (ctx: Context, errors: FieldError[]) => answer(ctx, 400, 'ValidationError', errors[0]?.message ?? 'Invalid request', { errors })

function tooMany(ctx: Context, count: Count) {
  ctx.set('Retry-After', String(retryAfter(count)))
  answer(ctx, 429, 'RateLimitError', 'Too many requests. Please try again later.')
}

function bodyOf(ctx: Context): Record<string, unknown> {
  const body = ctx.request.body
  return body && typeof body === 'object' && !Array.isArray(body)
    ? body as Record<string, unknown>
    : {}
}

const UNSUBSCRIBE_SOURCES = new Set(['preferences', 'one_click'])

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async subscribe(ctx: Context) {
    if (!isSiteRequest(ctx))
      return unauthorized(ctx)
    const address = clientAddress(ctx)
    const { allowed, count } = await countClientRequest(strapi, address)
    if (!allowed)
      return tooMany(ctx, count)
    const { errors, email, choice, policyVersion } = await validateSubscribe(strapi, bodyOf(ctx))
    if (errors.length > 0)
      return invalid(ctx, errors)
    ctx.status = 202
    ctx.body = { ok: true }
    // after the answer: what happens depends on the address's state, which must not show
    void subscribe(strapi, {
      email: email!,
      choice: choice!,
      policyVersion: policyVersion!,
      clientHash: clientHash(address),
    })
  },

  async showConfirm(ctx: Context) {
    if (!isSiteRequest(ctx))
      return unauthorized(ctx)
    // a GET confirms nothing: mail scanners follow links
    const row = await subscriberOfConfirmToken(strapi, ctx.params.token)
    if (!row)
      return notFound(ctx)
    ctx.body = subscriberView(row)
  },

  async confirm(ctx: Context) {
    if (!isSiteRequest(ctx))
      return unauthorized(ctx)
    const manageToken = await confirm(strapi, bodyOf(ctx).token, clientHash(clientAddress(ctx)))
    if (!manageToken)
      return notFound(ctx)
    ctx.body = { manageToken }
  },

  async showManage(ctx: Context) {
    if (!isSiteRequest(ctx))
      return unauthorized(ctx)
    const row = await subscriberOfManageToken(strapi, ctx.params.token)
    if (!row)
      return notFound(ctx)
    ctx.body = subscriberView(row, true)
  },

  async manage(ctx: Context) {
    if (!isSiteRequest(ctx))
      return unauthorized(ctx)
    const body = bodyOf(ctx)
    const row = await subscriberOfManageToken(strapi, body.token)
    if (!row)
      return notFound(ctx)
    const errors: FieldError[] = []
    const choice = await validateChoice(strapi, body, errors)
    if (!choice)
      return invalid(ctx, errors)
    await changeChoice(strapi, row, choice, clientHash(clientAddress(ctx)))
    ctx.body = { ok: true }
  },

  async unsubscribe(ctx: Context) {
    if (!isSiteRequest(ctx))
      return unauthorized(ctx)
    const body = bodyOf(ctx)
    if (typeof body.source !== 'string' || !UNSUBSCRIBE_SOURCES.has(body.source)) {
      return invalid(ctx, [
        { field: 'source', message: 'Unknown source' },
      ])
    }
    const row = await subscriberOfManageToken(strapi, body.token)
    if (!row)
      return notFound(ctx)
    await unsubscribe(strapi, row, body.source as 'preferences' | 'one_click', clientHash(clientAddress(ctx)))
    ctx.body = { ok: true }
  },
})
