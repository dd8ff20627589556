/** A ?page= value: 1 when absent, null when it is not a positive integer. */
export function parsePage(value: unknown): number | null {
  if (value === undefined || value === null || value === '')
    return 1
  const text = String(Array.isArray(value)
    ? value[0]
    : value)
  if (!/^\d{1,6}$/.test(text))
    return null
  const page = Number(text)
  return page >= 1
    ? page
    : null
}

/** A single string query value, trimmed and bounded. */
export function queryString(value: unknown, max = 100): string {
  const text = Array.isArray(value)
    ? value[0]
    : value
  return typeof text === 'string'
    ? text.trim().slice(0, max)
    : ''
}

/** News articles per page on /news. */
export const NEWS_PAGE_SIZE = 5
