// The member session's shape (nuxt-auth-utils). `user` is the member as the CMS describes them;
// `secure` never leaves the server: it holds the member's CMS JWT.
import type { MemberAccount } from './private-area'

declare module '#auth-utils' {
  interface User extends MemberAccount {}

  interface SecureSessionData {
    /** The member's users-permissions JWT, sent to the CMS as `Authorization: Bearer`. */
    jwt: string
  }

  interface UserSession {
    /** When the member signed in (ms since epoch). */
    signedInAt?: number
  }
}

export {}
