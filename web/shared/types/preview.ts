/**
 * Preview of drafts from the CMS admin (server/utils/preview.ts). `draft`: the entries' drafts;
 * `published`: their published versions (the admin's "Published" tab), members-only ones included.
 */
export type PreviewStatus = 'draft' | 'published'

/** What a page may know of the preview it is rendered in (app/composables/usePreview.ts): never the cookie. */
export interface PreviewView {
  status: PreviewStatus
}

/** The preview of a request, on `event.context.preview` (server/middleware/preview.ts). Server only. */
export interface PreviewContext extends PreviewView {
  /** ms since the epoch */
  expiresAt: number
  /** `isecg-preview=<value>`: forwarded by the page's own data requests (app/composables/useApi.ts). */
  cookie: string
}
