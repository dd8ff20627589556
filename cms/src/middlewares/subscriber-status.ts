/**
 * The Content Manager reads a `status` in the body of a save as its draft & publish parameter and
 * refuses any value but `draft` or `published` ("Invalid status"), even for a content type without
 * draft & publish. A subscriber has an attribute `status` (docs/notifications.md), so every save of
 * the admin's edit view would fail. For saves of subscribers only, this takes the attribute's value
 * out of the body before the Content Manager sees it and keeps it in `ctx.state.subscriberStatus`;
 * src/notifications/admin.ts reads it there (with the editor's permission on the field).
 */
const SUBSCRIBER_PATH = /^\/content-manager\/collection-types\/api::subscriber\.subscriber(?:\/|$)/
const PUBLICATION_STATUSES = new Set(['draft', 'published'])

interface Context {
  path: string
  method: string
  request: { body?: unknown }
  state: Record<string, unknown>
}

export default () => async (ctx: Context, next: () => Promise<unknown>) => {
  const body = ctx.request.body as Record<string, unknown> | undefined
  if ((ctx.method === 'PUT' || ctx.method === 'POST') && SUBSCRIBER_PATH.test(ctx.path) && body && typeof body === 'object' && typeof body.status === 'string' && !PUBLICATION_STATUSES.has(body.status)) {
    ctx.state.subscriberStatus = body.status
    delete body.status
  }
  await next()
}
