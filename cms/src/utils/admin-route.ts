/** What the CMS's own admin routes (src/notifications/admin.ts, src/agency-webhooks) use of Koa's context. */
export interface AdminContext {
  params: Record<string, string>
  state: { userAbility?: { can: (action: string, subject?: string) => boolean } }
  status: number
  body: unknown
  type: string
  set: (name: string, value: string) => void
}

/** Answers with Strapi's error shape: `{ data: null, error: { status, name, message, details } }`. */
export function refuse(ctx: AdminContext, status: number, name: string, message: string) {
  ctx.status = status
  ctx.body = {
    data: null,
    error: { status, name, message, details: {} },
  }
}
