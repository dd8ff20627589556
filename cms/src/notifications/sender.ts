/**
 * From and Reply-To of the news notification mails: the site settings' `mailFrom` and
 * `mailReplyTo` (published version), else MAIL_FROM / MAIL_REPLY_TO (config/plugins.ts defaults).
 * Read once per call; the worker calls it once per batch, not per mail.
 */
import type { Core } from '@strapi/strapi'

export interface Sender {
  from?: string
  replyTo?: string
}

/** A header-safe address value: no line breaks, bounded; empty means "not set". */
function clean(value: unknown): string | undefined {
  if (typeof value !== 'string')
    return undefined
  const text = value.replace(/[\r\n]+/g, ' ').trim().slice(0, 200)
  return text || undefined
}

export async function mailSender(strapi: Core.Strapi): Promise<Sender> {
  const settings = await strapi.documents('api::site-setting.site-setting').findFirst({
    status: 'published',
    fields: ['mailFrom', 'mailReplyTo'],
  }).catch(() => null) as { mailFrom?: string | null, mailReplyTo?: string | null } | null
  const from = clean(settings?.mailFrom)
  const replyTo = clean(settings?.mailReplyTo) ?? from
  return {
    ...(from
      ? { from }
      : {}),
    ...(replyTo
      ? { replyTo }
      : {}),
  }
}
