/** Sign-out button (POST from any Private Area page): ends the session, then the sign-in page. */
export default defineEventHandler(async (event) => {
  await readFormPost(event)
  await endMemberSession(event)
  return redirectWithFlash(event, '/private-area/sign-in', { form: 'sign-out', notice: 'You have signed out.' })
})
