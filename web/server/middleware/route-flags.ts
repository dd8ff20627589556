// Hands the route rule flags the Vue app needs while rendering (app.vue) to the request context,
// through Nitro's public getRouteRules() rather than its internal event.context._nitro.
export default defineEventHandler((event) => {
  event.context.noScripts = getRouteRules(event).noScripts === true
})
