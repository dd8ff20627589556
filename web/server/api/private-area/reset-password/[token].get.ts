/** Whether a password reset link is still valid, and for which address (404 when it is not). */
export default defineEventHandler(event => linkStatus(event, 'password/reset'))
