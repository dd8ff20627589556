/**
 * Malformed pagination answers 400 like any other malformed parameter: `pagination[page]` must be
 * a whole number >= 1 and `pagination[start]` a whole number >= 0 (Strapi itself would quietly
 * answer page one). Page sizes stay clamped by Strapi (config/api.ts).
 */
import { errors } from '@strapi/utils'

const WHOLE = /^\d+$/

function check(value: unknown, name: string, min: number) {
  if (value === undefined)
    return
  const text = Array.isArray(value)
    ? undefined
    : String(value)
  if (text === undefined || !WHOLE.test(text) || Number(text) < min || !Number.isSafeInteger(Number(text))) {
    throw new errors.ValidationError(`pagination[${name}] must be a whole number of at least ${min}`)
  }
}

export default () => async (ctx: { path: string, query: Record<string, unknown> }, next: () => Promise<unknown>) => {
  if (ctx.path.startsWith('/api/')) {
    const pagination = ctx.query.pagination
    if (pagination !== undefined && (typeof pagination !== 'object' || pagination === null || Array.isArray(pagination))) {
      throw new errors.ValidationError('pagination must be an object, e.g. pagination[page]=2')
    }
    if (pagination) {
      const { page, start } = pagination as Record<string, unknown>
      check(page, 'page', 1)
      check(start, 'start', 0)
    }
  }
  await next()
}
