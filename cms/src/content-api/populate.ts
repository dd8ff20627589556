/** Populate normalising: every form Strapi accepts turned into one object form. Pure. */

export type Populate = Record<string, unknown>

export const isTrue = (value: unknown) => value === true || value === 'true' || value === '*'
export const isFalse = (value: unknown) => value === false || value === 'false'

/** Turns any populate form Strapi accepts ('*', 'a,b.c', ['a', 'b.c'], { a: ... }) into an object, or '*'. */
export function normalizePopulate(populate: unknown): Populate | '*' | undefined {
  if (populate === undefined || populate === null || populate === '' || isFalse(populate))
    return undefined
  if (isTrue(populate))
    return '*'
  if (typeof populate === 'string')
    return normalizePopulate(populate.split(','))
  if (Array.isArray(populate)) {
    const result: Populate = {}
    for (const item of populate) {
      if (typeof item !== 'string')
        continue
      if (item.trim() === '*')
        return '*'
      const [head, ...rest] = item.trim().split('.')
      if (!head)
        continue
      if (rest.length === 0) {
        if (!(head in result))
          result[head] = true
      }
      else {
        const existing = result[head]
        const nested = existing && typeof existing === 'object'
          ? (existing as Populate)
          : {}
        const inner = normalizePopulate([
          ...toPathList(nested.populate),
          rest.join('.'),
        ])
        result[head] = { ...nested, populate: inner }
      }
    }
    return result
  }
  if (typeof populate === 'object')
    return { ...(populate as Populate) }
  return undefined
}

/** The dotted paths of a populate ('a', 'a.b', ...), any form. */
function toPathList(populate: unknown): string[] {
  const normalized = normalizePopulate(populate)
  if (!normalized)
    return []
  if (normalized === '*')
    return ['*']
  return Object.entries(normalized).flatMap(([key, value]) => {
    if (value && typeof value === 'object') {
      const inner = toPathList((value as Populate).populate)
      return inner.length
        ? inner.map(path => `${key}.${path}`)
        : [key]
    }
    return [key]
  })
}
