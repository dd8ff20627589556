/**
 * Members-only content is enforced here, on the server, for every Document Service read that
 * comes from an anonymous Content API request: the root query gets `visibility = public` added to
 * its filters, and every populated relation to a type with a `visibility` field gets the same
 * filter, at any depth. The caller's own filters are kept but cannot widen the result.
 */
import type { Core, UID } from '@strapi/strapi';
import { errors } from '@strapi/utils';

export const VISIBILITY_FIELD = 'visibility';
export const PUBLIC_ONLY = Object.freeze({ [VISIBILITY_FIELD]: { $eq: 'public' } });

const READ_ACTIONS = new Set(['findMany', 'findFirst', 'findOne', 'count']);

type Populate = Record<string, unknown>;

interface RequestState {
  user?: unknown;
  auth?: { strategy?: { name?: string } | string; credentials?: unknown };
}

/**
 * True when the current request may only see public content: an HTTP request with neither a
 * signed-in member (users-permissions JWT), an admin, nor an API token issued by the secretariat.
 * Calls made outside a request (bootstrap, seed, scripts) are not restricted.
 */
export function isAnonymousRequest(strapi: Core.Strapi): boolean {
  const ctx = strapi.requestContext.get() as { state?: RequestState } | undefined;
  if (!ctx) return false;
  const state = ctx.state ?? {};
  if (state.user) return false;
  const strategy = typeof state.auth?.strategy === 'string' ? state.auth.strategy : state.auth?.strategy?.name;
  // API tokens created in the admin (Settings > API Tokens); the strategy is named
  // 'content-api-token' in Strapi 5.5x and 'api-token' before.
  if ((strategy === 'content-api-token' || strategy === 'api-token') && state.auth?.credentials) return false;
  return true;
}

export function hasVisibility(strapi: Core.Strapi, uid: string): boolean {
  const model = strapi.getModel(uid as UID.Schema);
  return Boolean(model?.attributes?.[VISIBILITY_FIELD]);
}

export function restrictFilters(filters: unknown): Record<string, unknown> {
  const present = filters && typeof filters === 'object' && Object.keys(filters as object).length > 0;
  return present ? { $and: [filters, PUBLIC_ONLY] } : { ...PUBLIC_ONLY };
}

const isTrue = (value: unknown) => value === true || value === 'true' || value === '*';

/** Turns any populate form Strapi accepts ('*', 'a,b.c', ['a', 'b.c'], { a: ... }) into an object. */
export function normalizePopulate(populate: unknown): Populate | '*' | undefined {
  if (populate === undefined || populate === null || populate === false || populate === 'false') return undefined;
  if (isTrue(populate)) return '*';
  if (typeof populate === 'string') return normalizePopulate(populate.split(','));
  if (Array.isArray(populate)) {
    const result: Populate = {};
    for (const item of populate) {
      if (typeof item !== 'string') continue;
      if (item.trim() === '*') return '*';
      const [head, ...rest] = item.trim().split('.');
      if (!head) continue;
      if (rest.length === 0) {
        if (!(head in result)) result[head] = true;
      } else {
        const existing = result[head];
        const nested = existing && typeof existing === 'object' ? (existing as Populate) : {};
        const inner = normalizePopulate([...toPathList(nested.populate), rest.join('.')]);
        result[head] = { ...nested, populate: inner };
      }
    }
    return result;
  }
  if (typeof populate === 'object') return { ...(populate as Populate) };
  return undefined;
}

function toPathList(populate: unknown): string[] {
  const normalized = normalizePopulate(populate);
  if (!normalized) return [];
  if (normalized === '*') return ['*'];
  return Object.entries(normalized).flatMap(([key, value]) => {
    if (value && typeof value === 'object') {
      const inner = toPathList((value as Populate).populate);
      return inner.length ? inner.map((path) => `${key}.${path}`) : [key];
    }
    return [key];
  });
}

/** Adds the public-only filter to every populated relation whose target has a visibility field. */
export function restrictPopulate(strapi: Core.Strapi, uid: string, populate: unknown): unknown {
  const normalized = normalizePopulate(populate);
  if (!normalized) return populate;
  const model = strapi.getModel(uid as UID.Schema);
  if (!model) return populate;

  const entries: Populate =
    normalized === '*'
      ? Object.fromEntries(
          Object.entries(model.attributes)
            .filter(([, attribute]) => ['relation', 'media', 'component', 'dynamiczone'].includes(attribute.type))
            .map(([name]) => [name, true]),
        )
      : normalized;

  const result: Populate = {};
  for (const [name, value] of Object.entries(entries)) {
    const attribute = model.attributes[name] as { type: string; target?: string; component?: string; components?: string[] } | undefined;
    if (!attribute || value === false || value === 'false') {
      result[name] = value;
      continue;
    }
    const options: Populate = value && typeof value === 'object' ? { ...(value as Populate) } : {};
    if (attribute.type === 'relation' && attribute.target) {
      if (options.filters !== undefined) options.filters = restrictRelationFilters(strapi, attribute.target, options.filters);
      if (hasVisibility(strapi, attribute.target)) options.filters = restrictFilters(options.filters);
      if (options.populate !== undefined) options.populate = restrictPopulate(strapi, attribute.target, options.populate);
      result[name] = Object.keys(options).length ? options : true;
    } else if (attribute.type === 'component' && attribute.component) {
      if (options.populate !== undefined) options.populate = restrictPopulate(strapi, attribute.component, options.populate);
      result[name] = Object.keys(options).length ? options : true;
    } else if (attribute.type === 'dynamiczone' && options.on && typeof options.on === 'object') {
      const on: Populate = {};
      for (const [component, componentPopulate] of Object.entries(options.on as Populate)) {
        const inner = componentPopulate && typeof componentPopulate === 'object' ? { ...(componentPopulate as Populate) } : {};
        if (inner.populate !== undefined) inner.populate = restrictPopulate(strapi, component, inner.populate);
        on[component] = Object.keys(inner).length ? inner : true;
      }
      result[name] = { ...options, on };
    } else {
      result[name] = value;
    }
  }
  return result;
}

const LOGICAL = new Set(['$and', '$or']);

/**
 * Restricts filters that reach through relations: wherever a filter follows a relation to a type
 * with a visibility field (e.g. topics?filters[publications][title][$startsWith]=G), the nested
 * condition only matches public entries, so a caller cannot probe members-only entries through a
 * related type. Walks $and/$or/$not and nested relations, at any depth.
 */
export function restrictRelationFilters(strapi: Core.Strapi, uid: string, filters: unknown): unknown {
  if (!filters || typeof filters !== 'object') return filters;
  if (Array.isArray(filters)) return filters.map((item) => restrictRelationFilters(strapi, uid, item));
  const model = strapi.getModel(uid as UID.Schema);
  if (!model) return filters;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(filters as Record<string, unknown>)) {
    if (LOGICAL.has(key) || key === '$not') {
      result[key] = restrictRelationFilters(strapi, uid, value);
      continue;
    }
    const attribute = model.attributes[key] as { type: string; target?: string; component?: string } | undefined;
    if (attribute?.type === 'relation' && attribute.target) {
      const nested = restrictRelationFilters(strapi, attribute.target, value);
      result[key] = hasVisibility(strapi, attribute.target) ? restrictFilters(nested) : nested;
    } else if (attribute?.type === 'component' && attribute.component) {
      result[key] = restrictRelationFilters(strapi, attribute.component, value);
    } else {
      result[key] = value;
    }
  }
  return result;
}

/** True when a sort (string, array or object form) orders by a field reached through a relation. */
function sortsThroughRelation(strapi: Core.Strapi, uid: string, sort: unknown): boolean {
  const model = strapi.getModel(uid as UID.Schema);
  if (!model || sort === undefined || sort === null) return false;
  const isRelation = (name: string) => (model.attributes[name] as { type?: string } | undefined)?.type === 'relation';
  if (typeof sort === 'string') return sort.split(',').some((part) => isRelation(part.trim().split(/[.:]/)[0]!));
  if (Array.isArray(sort)) return sort.some((item) => sortsThroughRelation(strapi, uid, item));
  if (typeof sort === 'object') return Object.keys(sort as object).some(isRelation);
  return false;
}

/**
 * Registers the Document Service middleware that limits anonymous Content API reads to published,
 * public entries: drafts cannot be asked for (status=draft), members-only entries are filtered out
 * of the result, of populated relations and of filters that reach through relations, and sorting
 * by related entries (which would leak their order) is refused.
 */
export function registerVisibilityGuard(strapi: Core.Strapi) {
  strapi.documents.use(async (context, next) => {
    if (!READ_ACTIONS.has(context.action) || !context.uid.startsWith('api::') || !isAnonymousRequest(strapi)) {
      return next();
    }
    const params = (context.params ?? {}) as Record<string, unknown>;
    const model = strapi.getModel(context.uid as UID.Schema) as { options?: { draftAndPublish?: boolean } } | undefined;
    if (model?.options?.draftAndPublish) params.status = 'published';
    delete params.hasPublishedVersion;
    delete params.publicationFilter;
    if (sortsThroughRelation(strapi, context.uid, params.sort)) {
      throw new errors.ValidationError('Sorting by fields of related entries is not available on the public API');
    }
    params.filters = restrictRelationFilters(strapi, context.uid, params.filters);
    if (hasVisibility(strapi, context.uid)) params.filters = restrictFilters(params.filters);
    if (params.populate !== undefined) params.populate = restrictPopulate(strapi, context.uid, params.populate);
    context.params = params as typeof context.params;
    return next();
  });
}
