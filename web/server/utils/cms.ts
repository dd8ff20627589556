import type { CmsClient } from '@isecg/shared'
import type { H3Event } from 'h3'
import { createCmsClient, StrapiError } from '@isecg/shared'

let client: CmsClient | undefined
let clientKey = ''

/**
 * The typed CMS client, configured from runtime config (NUXT_CMS_URL). Server only.
 * The public site reads the CMS anonymously on purpose: the CMS itself then guarantees that only
 * published, public entries come back. An API token would also return members-only entries,
 * which the site would render and cache for everyone, so the site sends none.
 */
export function useCms(event?: H3Event): CmsClient {
  const key = cmsOrigin(event)
  if (!client || key !== clientKey) {
    client = createCmsClient({
      baseUrl: key,
      timeoutMs: 8000,
    })
    clientKey = key
  }
  return client
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
 * never shared. A JWT the CMS refuses (the session ended there: blocked account, new password)
 * becomes 401; other failures map as in {@link fromCms}.
 */
export async function asMember<T>(event: H3Event, jwt: string, run: (cms: CmsClient) => Promise<T>): Promise<T> {
  const cms = createCmsClient({
    baseUrl: cmsOrigin(event),
    token: jwt,
    timeoutMs: 8000,
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
