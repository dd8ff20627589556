/**
 * In a preview shown inside the CMS admin, saving or publishing there posts `{ type: 'strapiUpdate' }`
 * to this frame: the page reloads and shows what was saved. Only the parent frame is listened to, and
 * only the CMS admin may be it (a preview's frame-ancestors, server/utils/preview.ts). Pages served
 * without client scripts (Home, News, Publications) are reloaded by the editor.
 */
export default defineNuxtPlugin(() => {
  if (!usePreview().value || window.parent === window)
    return
  window.addEventListener('message', (event) => {
    if (event.source === window.parent && (event.data as { type?: unknown } | null)?.type === 'strapiUpdate')
      window.location.reload()
  })
})
