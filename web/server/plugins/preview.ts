/**
 * Responses given in a preview of drafts (server/middleware/preview.ts) keep `no-store`,
 * `noindex` and no X-Frame-Options (server/utils/preview.ts, setPreviewHeaders):
 *  - on the rendered page itself (`render:html`), so that Nitro's route cache sees a response it
 *    must not store (nor mark `s-maxage`), whatever the page cache driver does;
 *  - on the way out (`beforeResponse`), over the headers the route cache copies from its entry.
 */
export default defineNitroPlugin((nitroApp) => {
  nitroApp.hooks.hook('render:html', (_html, { event }) => {
    if (event.context.preview)
      setPreviewHeaders(event)
  })
  nitroApp.hooks.hook('beforeResponse', (event) => {
    if (event.context.preview)
      setPreviewHeaders(event)
  })
})
