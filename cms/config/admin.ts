import type { Core } from '@strapi/strapi'
import { previewOrigins, previewUrl } from '../src/preview/site-preview'

export default ({ env }: Core.Config.Shared.ConfigParams) => ({
  auth: {
    secret: env('ADMIN_JWT_SECRET'),
  },
  apiToken: {
    salt: env('API_TOKEN_SALT'),
  },
  transfer: {
    token: {
      salt: env('TRANSFER_TOKEN_SALT'),
    },
  },
  secrets: {
    encryptionKey: env('ENCRYPTION_KEY'),
  },
  flags: {
    nps: env.bool('FLAG_NPS', false),
    promoteEE: env.bool('FLAG_PROMOTE_EE', false),
  },
  // "Open preview" in the Content Manager shows the entry's draft on the site, in a frame (the site
  // lets only this admin's origin frame it): news articles, publications, topics, FAQ, home page,
  // About page (src/preview/site-preview.ts). Off while PREVIEW_SECRET is unset or short.
  preview: {
    enabled: true,
    config: {
      allowedOrigins: previewOrigins(),
      handler: (uid: string, params: { documentId?: string, locale?: string | null, status?: string }) =>
        previewUrl((globalThis as unknown as { strapi: Core.Strapi }).strapi, uid, params),
    },
  },
})
