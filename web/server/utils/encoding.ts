// an accepted coding: listed without q, or with a q other than 0 (compiled once, not per request)
const accepts = (name: string) => new RegExp(`(^|,)\\s*${name}\\s*(;\\s*q=(?!0(\\.0*)?\\s*(,|$))[\\d.]+)?\\s*(,|$)`)
const ACCEPTS_BR = accepts('br')
const ACCEPTS_GZIP = accepts('gzip')

/** The response coding the site uses for a request's Accept-Encoding (brotli first, then gzip), or null for none. */
export function pickEncoding(acceptEncoding: string | undefined): 'br' | 'gzip' | null {
  const accept = (acceptEncoding ?? '').toLowerCase()
  if (!accept)
    return null
  if (ACCEPTS_BR.test(accept))
    return 'br'
  if (ACCEPTS_GZIP.test(accept))
    return 'gzip'
  return null
}
