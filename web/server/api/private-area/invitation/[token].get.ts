/** Whether an invitation link is still valid, and for which address (404 when it is not). */
export default defineEventHandler(event => linkStatus(event, 'invitation'))
