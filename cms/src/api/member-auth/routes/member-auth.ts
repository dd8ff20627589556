/**
 * /api/member-auth/*: the site's server signs members in, out of the browser's reach (contract:
 * docs/private-area.md). Every route checks the X-Site-Key itself (controllers/member-auth.ts), so
 * the users-permissions strategy is not used here (auth: false).
 */
function route(method: 'GET' | 'POST', path: string, handler: string) {
  return {
    method,
    path: `/member-auth${path}`,
    handler: `member-auth.${handler}`,
    config: { auth: false as const },
  }
}

export default {
  routes: [
    route('POST', '/login', 'login'),
    route('GET', '/invitation/:token', 'invitation'),
    route('POST', '/invitation/accept', 'acceptInvitation'),
    route('POST', '/password/forgot', 'forgotPassword'),
    route('GET', '/password/reset/:token', 'resetToken'),
    route('POST', '/password/reset', 'resetPassword'),
    route('GET', '/me', 'me'),
  ],
}
