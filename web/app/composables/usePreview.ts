import type { PreviewView } from '#shared/types/preview'

/**
 * The preview of drafts this page is rendered in (server/middleware/preview.ts), or null. Known on
 * the server from the request and handed to the browser in the payload as `{ status }` only: the
 * preview cookie itself stays httpOnly.
 */
export function usePreview() {
  return useState<PreviewView | null>('preview', () => {
    const preview = import.meta.server
      ? useRequestEvent()?.context.preview
      : undefined
    return preview
      ? { status: preview.status }
      : null
  })
}
