import type { Ref } from 'vue'

/**
 * Fetches one of this site's server routes (/api/...) and returns its data, or throws the
 * route's error (404 for unknown content, 503 when the CMS is unavailable) so that error.vue
 * renders it with the right status code.
 */
export async function useApi<T>(url: string, query?: Record<string, string | number>): Promise<Ref<T>> {
  const { data, error } = await useFetch<T>(url, { query, key: `api:${url}?${new URLSearchParams(Object.entries(query ?? {}).map(([k, v]) => [k, String(v)])).toString()}` })
  if (error.value || data.value === undefined || data.value === null) {
    const statusCode = error.value?.statusCode ?? 503
    throw createError({
      statusCode,
      statusMessage: statusCode === 404 ? 'Page not found' : 'Service unavailable',
      fatal: true,
    })
  }
  return data as Ref<T>
}
