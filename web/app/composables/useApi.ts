import type { NitroFetchRequest, TypedInternalResponse } from 'nitropack/types'
import type { Ref } from 'vue'

/** What this site's server route `R` answers to GET, as Nitro's route types know it. */
export type ApiResponse<R extends NitroFetchRequest> = TypedInternalResponse<R, unknown, 'get'>

/**
 * In a preview of drafts, the page's own requests to its server routes carry the preview cookie.
 * Nitro's route cache renders a page with none of the visitor's request headers, so the cookie is
 * forwarded from the request's context (server/middleware/preview.ts); where the route is not
 * cached, the browser's Cookie header is forwarded as it is and holds it already.
 */
function previewHeaders(): Record<string, string> | undefined {
  if (!import.meta.server)
    return undefined
  const preview = useRequestEvent()?.context.preview
  return preview && !useRequestHeaders(['cookie']).cookie
    ? { cookie: preview.cookie }
    : undefined
}

/**
 * Fetches one of this site's server routes (/api/...) and returns its data, typed from the route's
 * handler (no type argument needed), or throws the route's error (404 for unknown content, 503
 * when the CMS is unavailable) so that error.vue renders it with the right status code.
 */
export async function useApi<R extends `/api/${string}`>(url: R, query?: Record<string, string | number>): Promise<Ref<ApiResponse<R>>> {
  const key = `api:${url}?${new URLSearchParams(Object.entries(query ?? {}).map(([k, v]) => [
    k,
    String(v),
  ])).toString()}`
  const { data, error } = await useFetch<ApiResponse<R>>(url as string, {
    query,
    key,
    headers: previewHeaders(),
  })
  if (error.value || data.value === undefined || data.value === null) {
    const statusCode = error.value?.statusCode ?? 503
    throw createError({
      statusCode,
      statusMessage: statusCode === 404
        ? 'Page not found'
        : 'Service unavailable',
      fatal: true,
    })
  }
  return data as Ref<ApiResponse<R>>
}
