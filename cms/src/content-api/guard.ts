/**
 * Wires the read guard (./query-guard.ts) into Strapi as a Document Service middleware, so that it
 * applies to every read of our content types made for a Content API request (list, detail, count),
 * whatever controller or service makes it.
 */
import type { Core, UID } from '@strapi/strapi'
import type { Attribute, SchemaLookup } from './query-guard'
import { currentCaller } from './caller'
import { guardReadParams } from './query-guard'

const READ_ACTIONS = new Set([
  'findMany',
  'findFirst',
  'findOne',
  'count',
])

function strapiSchemas(strapi: Core.Strapi): SchemaLookup {
  const model = (uid: string) => strapi.getModel(uid as UID.Schema) as { attributes?: Record<string, Attribute>, options?: { draftAndPublish?: boolean } } | undefined
  return {
    attributes: uid => model(uid)?.attributes,
    draftAndPublish: uid => Boolean(model(uid)?.options?.draftAndPublish),
  }
}

export function registerContentApiGuard(strapi: Core.Strapi) {
  const schemas = strapiSchemas(strapi)
  strapi.documents.use(async (context, next) => {
    if (!READ_ACTIONS.has(context.action) || !context.uid.startsWith('api::'))
      return next()
    const caller = currentCaller(strapi)
    const params = (context.params ?? {}) as Record<string, unknown>
    context.params = guardReadParams(schemas, context.uid, params, caller) as typeof context.params
    return next()
  })
}
