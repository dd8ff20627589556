/** "Choose your password" form of an invitation link (POST from /private-area/invitation/<token>). */
export default defineEventHandler(event => handleSetPassword(event, 'invitation'))
