// Private Area pages are rendered on the server for one person (server/middleware/private-area.ts)
// and ship no client scripts: a link to one from a page with scripts loads it from the server
// instead of rendering it in the browser.
export default defineNuxtRouteMiddleware((to) => {
  if (import.meta.client && (to.path === '/private-area' || to.path.startsWith('/private-area/')))
    return navigateTo(to.fullPath, { external: true })
})
