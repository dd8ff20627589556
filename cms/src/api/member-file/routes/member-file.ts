/**
 * GET /api/member-files/:fileId: a protected file for a signed-in member, called by the site's
 * server (X-Site-Key) with the member's JWT. Both are checked in the controller (auth: false).
 */
export default {
  routes: [
    {
      method: 'GET',
      path: '/member-files/:fileId',
      handler: 'member-file.download',
      config: { auth: false as const },
    },
  ],
}
