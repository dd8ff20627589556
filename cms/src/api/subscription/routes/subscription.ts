/**
 * /api/subscriptions/*: the site's server handles news notification subscriptions (contract:
 * docs/notifications.md). Every route checks the X-Site-Key itself (controllers/subscription.ts),
 * like /api/member-auth, so the users-permissions strategy is not used here (auth: false).
 */
function route(method: 'GET' | 'POST', path: string, handler: string) {
  return {
    method,
    path: `/subscriptions${path}`,
    handler: `subscription.${handler}`,
    config: { auth: false as const },
  }
}

export default {
  routes: [
    route('POST', '/subscribe', 'subscribe'),
    route('GET', '/confirm/:token', 'showConfirm'),
    route('POST', '/confirm', 'confirm'),
    route('GET', '/manage/:token', 'showManage'),
    route('POST', '/manage', 'manage'),
    route('POST', '/unsubscribe', 'unsubscribe'),
  ],
}
