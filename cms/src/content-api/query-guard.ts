import type { Caller } from './caller'
import type { Populate } from './populate'
/**
 * The Content API's read guard, as pure functions over a schema lookup: it checks the populate,
 * filters and sort of a read against the allow-list in ./policy.ts (anything else: 400) and
 * rewrites them so that a caller only reaches what it may see.
 *
 * Filters are first put in a canonical form where every object has a single key (several keys
 * become `$and` of one-key objects). Strapi's query engine merges the conditions of one object
 * with Object.assign, so two keys that both produce `$and` (a relation condition and a caller's
 * `$and`) would otherwise overwrite each other, and the caller's could replace ours.
 */
import { errors } from '@strapi/utils'
import { MAX_POPULATE_DEPTH, policyOf } from './policy'
import { isFalse, isTrue, normalizePopulate } from './populate'

const VISIBILITY_FIELD = 'visibility'
export const PUBLIC_ONLY = Object.freeze({
  [VISIBILITY_FIELD]: { $eq: 'public' },
})
/** A condition no entry meets (every entry has an id). */
export const NOTHING = Object.freeze({
  id: { $null: true },
})

export interface Attribute {
  type: string
  target?: string
  component?: string
  components?: string[]
}

/** What the guard needs to know of the schemas; backed by strapi.getModel in the CMS. */
export interface SchemaLookup {
  attributes: (uid: string) => Record<string, Attribute> | undefined
  draftAndPublish: (uid: string) => boolean
}

export interface GuardOptions {
  /** Add `visibility = public` wherever an entry of a type with a visibility field is reached. */
  publicOnly: boolean
}

function invalid(message: string): never {
  throw new errors.ValidationError(message)
}

const NESTING = new Set([
  'relation',
  'media',
  'component',
  'dynamiczone',
])
const GROUPS = new Set(['$and', '$or'])

function hasVisibility(schema: SchemaLookup, uid: string): boolean {
  return Boolean(schema.attributes(uid)?.[VISIBILITY_FIELD])
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** `filters` AND `visibility = public`, as one single-key object. */
function andPublic(filters: unknown): Record<string, unknown> {
  const present = isRecord(filters) && Object.keys(filters).length > 0
  return present
    ? {
        $and: [filters, PUBLIC_ONLY],
      }
    : { ...PUBLIC_ONLY }
}

/** `filters` AND a condition no entry meets, as one single-key object. */
function andNothing(filters: unknown): Record<string, unknown> {
  const present = isRecord(filters) && Object.keys(filters).length > 0
  return present
    ? {
        $and: [filters, NOTHING],
      }
    : { ...NOTHING }
}

/**
 * What an anonymous caller may reach of a type: `visibility = public` where the type has that
 * field, nothing at all of a members-only type. Other callers' filters are returned unchanged.
 */
function restrictFor(schema: SchemaLookup, uid: string, filters: unknown, options: GuardOptions): unknown {
  if (!options.publicOnly)
    return filters
  let result = filters
  if (hasVisibility(schema, uid))
    result = andPublic(result)
  if (policyOf(uid).membersOnly)
    result = andNothing(result)
  return result
}

/** A relation condition written on the relation itself (`{ rel: 3 }`, `{ rel: { $null: true } }`) applies to its id. */
function relationCondition(value: unknown): unknown {
  if (!isRecord(value)) {
    return {
      id: { $eq: value },
    }
  }
  const keys = Object.keys(value)
  const operators = keys.filter(key => key.startsWith('$') && !GROUPS.has(key) && key !== '$not')
  return operators.length > 0 && operators.length === keys.length
    ? { id: value }
    : value
}

/**
 * Checks filters against the allow-list and rewrites them: relations only where the policy lets
 * filters follow them, never media, never a relation under `$not` (negation over a relation would
 * turn "public only" inside out), and `visibility = public` inside every relation condition that
 * reaches a type with a visibility field.
 */
export function guardFilters(schema: SchemaLookup, uid: string, filters: unknown, options: GuardOptions, negated = false): unknown {
  if (Array.isArray(filters))
    return filters.map(item => guardFilters(schema, uid, item, options, negated))
  if (!isRecord(filters))
    return filters
  const attributes = schema.attributes(uid) ?? {}
  const policy = policyOf(uid)
  const parts: Record<string, unknown>[] = []
  for (const [key, value] of Object.entries(filters)) {
    if (GROUPS.has(key)) {
      const items = Array.isArray(value)
        ? value
        : isRecord(value)
          ? Object.values(value)
          : invalid(`${key} takes a list of conditions`)
      parts.push({
        [key]: items.map(item => guardFilters(schema, uid, item, options, negated)),
      })
      continue
    }
    if (key === '$not') {
      parts.push({
        $not: guardFilters(schema, uid, value, options, true),
      })
      continue
    }
    const attribute = attributes[key]
    if (key.startsWith('$') || !attribute || !NESTING.has(attribute.type)) {
      parts.push({ [key]: value })
      continue
    }
    if (attribute.type === 'component' && attribute.component) {
      parts.push({
        [key]: guardFilters(schema, attribute.component, value, options, negated),
      })
      continue
    }
    if (attribute.type !== 'relation' || !attribute.target || !policy.filterThrough.includes(key)) {
      invalid(`Filtering through "${key}" is not available on this API`)
    }
    if (negated)
      invalid(`"${key}" cannot be used inside $not: negated conditions on related entries are not available`)
    const target = attribute.target!
    let nested = guardFilters(schema, target, relationCondition(value), options, negated)
    // Strapi reads a lone operator on a relation as a condition on its id; `$not` is meant for the
    // related entry's fields, so it goes inside a group.
    if (isRecord(nested) && Object.keys(nested).length === 1 && '$not' in nested) {
      nested = {
        $and: [nested],
      }
    }
    parts.push({
      [key]: restrictFor(schema, target, nested, options),
    })
  }
  if (parts.length === 0)
    return {}
  return parts.length === 1
    ? parts[0]
    : { $and: parts }
}

/** The attribute names a sort (string, list or object form) orders by, at its first level. */
function sortFields(sort: unknown): string[] {
  if (sort === undefined || sort === null || sort === '')
    return []
  if (typeof sort === 'string')
    return sort.split(',').map(part => part.trim().split(/[.:]/)[0]!).filter(Boolean)
  if (Array.isArray(sort))
    return sort.flatMap(sortFields)
  if (isRecord(sort))
    return Object.keys(sort)
  return []
}

/** Sorting is only by the type's own fields: ordering by related entries would leak their order. */
export function checkSort(schema: SchemaLookup, uid: string, sort: unknown): void {
  const attributes = schema.attributes(uid) ?? {}
  for (const field of sortFields(sort)) {
    if (NESTING.has(attributes[field]?.type ?? ''))
      invalid(`Sorting by "${field}" (related entries, media or components) is not available on this API`)
  }
}

const RELATION_OPTIONS = new Set([
  'fields',
  'filters',
  'sort',
  'populate',
])
const COMPONENT_OPTIONS = new Set(['fields', 'populate'])
const MEDIA_OPTIONS = new Set(['fields'])
const ZONE_OPTIONS = new Set(['on'])

function optionsOf(name: string, value: unknown, allowed: Set<string>): Populate {
  if (isTrue(value))
    return {}
  if (!isRecord(value))
    return invalid(`Invalid populate value for "${name}"`)
  for (const key of Object.keys(value)) {
    if (!allowed.has(key))
      invalid(`"populate[${name}][${key}]" is not available on this API`)
  }
  return { ...value }
}

/**
 * Checks a populate against the allow-list and rewrites it: `*` becomes the listed attributes,
 * media are leaves (own fields only), relations get their filters guarded and `visibility =
 * public` added when their target has that field, and nothing goes deeper than MAX_POPULATE_DEPTH.
 */
export function guardPopulate(schema: SchemaLookup, uid: string, populate: unknown, options: GuardOptions, depth = 1): Populate | undefined {
  const normalized = normalizePopulate(populate)
  if (!normalized)
    return undefined
  const attributes = schema.attributes(uid) ?? {}
  const policy = policyOf(uid)
  const requested: Populate = normalized === '*'
    ? Object.fromEntries(policy.populate.map(name => [name, true]))
    : normalized

  const result: Populate = {}
  for (const [name, value] of Object.entries(requested)) {
    if (isFalse(value))
      continue
    const attribute = attributes[name]
    if (!attribute || !NESTING.has(attribute.type) || !policy.populate.includes(name)) {
      invalid(`"${name}" cannot be populated on this API`)
    }
    if (depth > MAX_POPULATE_DEPTH)
      invalid(`Populate is limited to ${MAX_POPULATE_DEPTH} levels`)
    switch (attribute!.type) {
      case 'media': {
        const media = optionsOf(name, value, MEDIA_OPTIONS)
        result[name] = Object.keys(media).length
          ? media
          : true
        break
      }
      case 'relation': {
        const target = attribute!.target!
        const relation = optionsOf(name, value, RELATION_OPTIONS)
        if (relation.sort !== undefined)
          checkSort(schema, target, relation.sort)
        if (relation.filters !== undefined)
          relation.filters = guardFilters(schema, target, relation.filters, options)
        relation.filters = restrictFor(schema, target, relation.filters, options)
        if (relation.filters === undefined)
          delete relation.filters
        if (relation.populate !== undefined)
          relation.populate = guardPopulate(schema, target, relation.populate, options, depth + 1)
        if (relation.populate === undefined)
          delete relation.populate
        result[name] = Object.keys(relation).length
          ? relation
          : true
        break
      }
      case 'component': {
        const component = optionsOf(name, value, COMPONENT_OPTIONS)
        if (component.populate !== undefined)
          component.populate = guardPopulate(schema, attribute!.component!, component.populate, options, depth + 1)
        if (component.populate === undefined)
          delete component.populate
        result[name] = Object.keys(component).length
          ? component
          : true
        break
      }
      default: {
        // dynamic zone: only `on` with the zone's own components, each guarded like a component
        const zone = optionsOf(name, value, ZONE_OPTIONS)
        if (!isRecord(zone.on)) {
          result[name] = true
          break
        }
        const on: Populate = {}
        for (const [component, inner] of Object.entries(zone.on)) {
          if (!attribute!.components?.includes(component))
            invalid(`"${component}" is not a component of "${name}"`)
          const componentOptions = optionsOf(`${name}.${component}`, inner, COMPONENT_OPTIONS)
          if (componentOptions.populate !== undefined)
            componentOptions.populate = guardPopulate(schema, component, componentOptions.populate, options, depth + 1)
          if (componentOptions.populate === undefined)
            delete componentOptions.populate
          on[component] = Object.keys(componentOptions).length
            ? componentOptions
            : true
        }
        result[name] = { on }
      }
    }
  }
  return result
}

/**
 * Guards the parameters of one Document Service read for a caller. Admin and internal calls are
 * not touched. Everyone else reads published entries only (the preview credential excepted), within
 * the allow-list; anonymous callers only public ones, and nothing of a members-only type.
 */
export function guardReadParams(schema: SchemaLookup, uid: string, params: Record<string, unknown>, caller: Caller): Record<string, unknown> {
  if (caller === 'internal' || caller === 'admin')
    return params
  const result = { ...params }
  if (caller !== 'preview') {
    if (schema.draftAndPublish(uid))
      result.status = 'published'
    delete result.hasPublishedVersion
    delete result.publicationFilter
  }
  const options: GuardOptions = { publicOnly: caller === 'anonymous' }
  checkSort(schema, uid, result.sort)
  if (result.filters !== undefined)
    result.filters = guardFilters(schema, uid, result.filters, options)
  result.filters = restrictFor(schema, uid, result.filters, options)
  if (result.filters === undefined)
    delete result.filters
  if (result.populate !== undefined) {
    const populate = guardPopulate(schema, uid, result.populate, options)
    if (populate === undefined)
      delete result.populate
    else result.populate = populate
  }
  return result
}
