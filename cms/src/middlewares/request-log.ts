/**
 * Request logging, in place of `strapi::logger` (which writes one line per request, synchronously:
 * stdout to a file or a pipe is a synchronous write in Node). REQUEST_LOG chooses:
 *
 * - `all`: every request (`GET /api/… (12 ms) 200`), the default outside production;
 * - `slow`: only requests answering 5xx or taking at least REQUEST_LOG_SLOW_MS (default 1000) ms,
 *   the default in production: a healthy server writes nothing per request;
 * - `off`: nothing (errors are still logged by `strapi::errors`).
 *
 * Access logs in production belong to the reverse proxy in front of the CMS.
 */
import type { Core } from '@strapi/strapi'

type Mode = 'all' | 'slow' | 'off'

export function requestLogMode(env: NodeJS.ProcessEnv = process.env): Mode {
  const value = env.REQUEST_LOG?.trim().toLowerCase()
  if (value === 'all' || value === 'slow' || value === 'off')
    return value
  return env.NODE_ENV === 'production'
    ? 'slow'
    : 'all'
}

interface Context {
  method: string
  url: string
  status: number
}

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  const mode = requestLogMode()
  const slowMs = Number(process.env.REQUEST_LOG_SLOW_MS) || 1000
  if (mode === 'off')
    return (_ctx: Context, next: () => Promise<unknown>) => next()
  return async (ctx: Context, next: () => Promise<unknown>) => {
    const start = performance.now()
    try {
      await next()
    }
    finally {
      const ms = Math.ceil(performance.now() - start)
      if (mode === 'all' || ms >= slowMs || ctx.status >= 500)
        strapi.log.http(`${ctx.method} ${ctx.url} (${ms} ms) ${ctx.status}`)
    }
  }
}
