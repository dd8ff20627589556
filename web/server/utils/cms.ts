import type { CmsClient } from '@isecg/shared'
import type { H3Event } from 'h3'
import type { PreviewStatus } from '../../shared/types/preview'
import type { CmsReadCache } from './cms-cache'
import { createCmsClient, StrapiError } from '@isecg/shared'
import { createCmsReadCache } from './cms-cache'

let client: CmsClient | undefined
let clientKey = ''
let readCache: CmsReadCache | undefined

/**
 * The CMS read cache of the anonymous client (server/utils/cms-cache.ts), configured from runtime
 * config: NUXT_CMS_CACHE_TTL (seconds an answer is reused, 0 turns the cache off),
 * NUXT_CMS_CACHE_MAX_STALE (seconds an answer may still be served while the CMS fails),
 * NUXT_CMS_CACHE_MAX_ENTRIES. Cleared with the page cache by invalidateContentCaches().
 */
export function useCmsReadCache(): CmsReadCache {
  if (!readCache) {
    const config = useRuntimeConfig()
    const seconds = (value: unknown, fallback: number) => {
      const number = Number(value)
      return Number.isFinite(number) && number >= 0
        ? number
        : fallback
    }
    readCache = createCmsReadCache({
      ttlMs: seconds(config.cmsCacheTtl, 15) * 1000,
      maxStaleMs: seconds(config.cmsCacheMaxStale, 3600) * 1000,
      maxEntries: seconds(config.cmsCacheMaxEntries, 1000) || 1000,
    })
  }
  return readCache
}

/**
 * The typed CMS client, configured from runtime config (NUXT_CMS_URL). Server only.
 * The public site reads the CMS anonymously on purpose: the CMS itself then guarantees that only
 * published, public entries come back. An API token would also return members-only entries,
 * which the site would render and cache for everyone, so the site sends none. Because its reads
 * are the same for everybody, they go through the CMS read cache; member reads ({@link asMember})
 * never do, nor do the reads of a preview of drafts ({@link previewCms}, when the request is one).
 */
export function useCms(event?: H3Event): CmsClient {
  const preview = event?.context.preview
  if (preview)
    return previewCms(event!, preview.status)
  const key = cmsOrigin(event)
  if (!client || key !== clientKey) {
    const cachedFetch = useCmsReadCache().fetch
    client = createCmsClient({
      baseUrl: key,
      timeoutMs: 8000,
      fetch: (input, init) => cachedFetch(input, withSiteKey(init)),
    })
    clientKey = key
  }
  return client
}

/**
 * The client of a preview of drafts (server/utils/preview.ts), created per request: every read asks
 * for `status` (draft, or published for the admin's "Published" tab) with the preview credential
 * (NUXT_CMS_PREVIEW_TOKEN as X-Preview-Token, the CMS's PREVIEW_TOKEN: drafts and members-only
 * entries, read-only), and goes straight to the CMS: the CMS read cache is neither read nor written,
 * and the CMS's own response cache never stores a request with that header.
 */
/**
 * Adds the site's key (X-Site-Key, NUXT_SITE_API_KEY) to a CMS request: the CMS then knows the
 * caller is this site's server, which its REST API rate limits leave alone (they are for outside
 * callers). The key grants no access to content: reads stay anonymous.
 */
function withSiteKey(init: RequestInit | undefined): RequestInit {
  const key = useRuntimeConfig().siteApiKey
  if (!key)
    return init ?? {}
  const headers = new Headers(init?.headers)
  headers.set('x-site-key', key)
  return { ...init, headers }
}

function previewCms(event: H3Event, status: PreviewStatus): CmsClient {
  const token = useRuntimeConfig().cmsPreviewToken
  return createCmsClient({
    baseUrl: cmsOrigin(event),
    timeoutMs: 8000,
    fetch: (input, init) => {
      const url = new URL(input instanceof Request
        ? input.url
        : String(input))
      url.searchParams.set('status', status)
      const headers = new Headers(withSiteKey(init).headers)
      headers.set('x-preview-token', token)
      return fetch(url, { ...init, headers })
    },
  })
}

function isStrapiError(error: unknown): error is StrapiError {
  return error instanceof StrapiError || (error as { name?: string } | null)?.name === 'StrapiError'
}

/**
 * Turns a failed CMS call into the HTTP error the site should answer with:
 * "not found" stays 404, anything else (CMS down, timeout, 5xx, unexpected 4xx) becomes 503.
 * The CMS's own message is logged, never sent to the visitor.
 */
function toHttpError(error: unknown) {
  if (isStrapiError(error) && error.status === 404) {
    return createError({ statusCode: 404, statusMessage: 'Not Found' })
  }
  if ((error as { statusCode?: number } | null)?.statusCode && !isStrapiError(error)) {
    // Already an H3 error raised by our own code.
    return error as ReturnType<typeof createError>
  }
  console.error('[cms]', (error as Error)?.message ?? error)
  return createError({ statusCode: 503, statusMessage: 'Service Unavailable', message: 'The content service is temporarily unavailable.' })
}

/** Runs CMS calls and maps their failures with {@link toHttpError}. */
export async function fromCms<T>(event: H3Event, run: (cms: CmsClient) => Promise<T>): Promise<T> {
  try {
    return await run(useCms(event))
  }
  catch (error) {
    throw toHttpError(error)
  }
}

/** Like {@link fromCms} but a CMS 404 (e.g. an unpublished single type) yields null. */
export async function fromCmsOptional<T>(event: H3Event, run: (cms: CmsClient) => Promise<T>): Promise<T | null> {
  try {
    return await run(useCms(event))
  }
  catch (error) {
    if (isStrapiError(error) && error.status === 404)
      return null
    throw toHttpError(error)
  }
}

/**
 * Runs CMS calls as a signed-in member: a client carrying the member's JWT, created per request and
 * never shared, and never through the CMS read cache. A JWT the CMS refuses (the session ended there: blocked account, new password)
 * becomes 401; other failures map as in {@link fromCms}.
 */
export async function asMember<T>(event: H3Event, jwt: string, run: (cms: CmsClient) => Promise<T>): Promise<T> {
  const cms = createCmsClient({
    baseUrl: cmsOrigin(event),
    token: jwt,
    timeoutMs: 8000,
    fetch: (input, init) => fetch(input, withSiteKey(init)),
  })
  try {
    return await run(cms)
  }
  catch (error) {
    if (isStrapiError(error) && (error.status === 401 || error.status === 403))
      throw createError({ statusCode: 401, statusMessage: 'Unauthorized' })
    throw toHttpError(error)
  }
}
