/**
 * The query parameters each cached page reads, and nothing else: a request for a cached page is
 * rewritten to its path plus these parameters (first value each, in a fixed order) before the page
 * cache computes its key and before the page renders (server/middleware/00.page-cache-key.ts).
 * So `/news?utm_source=x&page=2&page=3` is rendered and cached as `/news?page=2`, junk parameters
 * share the entry of the page without them, and a page cannot depend on a parameter that is not
 * listed here (it never sees one).
 *
 * A value the page would ignore anyway (the library drops an unknown kind, topic or year) is dropped
 * here too, so it does not make an entry of its own. Values a page turns into a 404 (`/news?page=x`)
 * are kept: the 404 is rendered and never cached.
 *
 * Add a parameter here when a cached page starts reading one (the page's test fails otherwise).
 */
import { isPublicationKind } from '../../shared/utils/kinds'

interface Param {
  name: string
  /** The value to keep (trimmed, bounded), or '' to drop the parameter. */
  keep: (value: string) => string
}

const asIs = (max: number) => (value: string) => value.slice(0, max)
function matching(pattern: RegExp) {
  return (value: string) => pattern.test(value.trim())
    ? value.trim()
    : ''
}

export const PAGE_PARAMS: Readonly<Record<string, readonly Param[]>> = {
  '/news': [
    {
      name: 'page',
      keep: asIs(20),
    },
  ],
  '/publications': [
    {
      name: 'kind',
      keep: value => isPublicationKind(value.trim())
        ? value.trim()
        : '',
    },
    {
      name: 'topic',
      keep: matching(/^[a-z0-9-]{1,80}$/),
    },
    {
      name: 'year',
      keep: matching(/^\d{4}$/),
    },
    // the library bounds its search text to 80 characters (server/api/publications)
    {
      name: 'q',
      keep: value => value.trim().slice(0, 80),
    },
  ],
}

function first(params: URLSearchParams, name: string): string | undefined {
  const value = params.get(name)
  return value === null
    ? undefined
    : value
}

/**
 * The URL a cached page is rendered and cached under: `url` (path and query, as received) with only
 * the parameters its page reads. Returns `url` itself when nothing changes.
 */
export function pageCacheUrl(url: string): string {
  const mark = url.indexOf('?')
  if (mark === -1)
    return url
  const path = url.slice(0, mark)
  const hash = url.indexOf('#', mark)
  const search = url.slice(mark + 1, hash === -1
    ? undefined
    : hash)
  const reads = PAGE_PARAMS[path.length > 1
    ? path.replace(/\/+$/, '')
    : path] ?? []
  let params: URLSearchParams
  try {
    params = new URLSearchParams(search)
  }
  catch {
    return path
  }
  const kept = new URLSearchParams()
  for (const param of reads) {
    const value = first(params, param.name)
    if (value === undefined)
      continue
    const normal = param.keep(value)
    if (normal)
      kept.set(param.name, normal)
  }
  const query = kept.toString()
  const normalized = query
    ? `${path}?${query}`
    : path
  return normalized === url
    ? url
    : normalized
}

/** True when a page cache URL has a query: such pages are kept apart from plain paths (the driver's variants). */
export function hasQuery(url: string): boolean {
  return url.includes('?')
}
