/** "Choose a new password" form of a reset link (POST from /private-area/reset-password/<token>). */
export default defineEventHandler(event => handleSetPassword(event, 'reset-password'))
