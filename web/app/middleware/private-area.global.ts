// Private Area pages and the news subscription pages (/subscribe) are rendered on the server for
// one person (server/middleware/private-area.ts, server/middleware/subscriptions.ts) and ship no
// client scripts: a link to one from a page with scripts loads it from the server instead of
// rendering it in the browser.
const SERVER_ONLY = ['/private-area', '/subscribe']

export default defineNuxtRouteMiddleware((to) => {
  if (import.meta.client && SERVER_ONLY.some(prefix => to.path === prefix || to.path.startsWith(`${prefix}/`)))
    return navigateTo(to.fullPath, { external: true })
})
