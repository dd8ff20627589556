import type { PreviewContext } from './preview'
import type { PrivateAreaState } from './private-area'
import type { SubscriptionPageState } from './subscriptions'

declare module 'h3' {
  interface H3EventContext {
    /** The route is served without client scripts (route rule `noScripts`); set by server/middleware/route-flags.ts. */
    noScripts?: boolean
    /** The preview of drafts this request is in (a valid preview cookie); set by server/middleware/preview.ts. */
    preview?: PreviewContext
    /** Who is signed in, the CSRF token and the last form's errors, on Private Area pages; set by server/middleware/private-area.ts. */
    privateArea?: PrivateAreaState
    /** The CSRF token and the last form's errors on /subscribe pages; set by server/middleware/subscriptions.ts. */
    subscriptions?: SubscriptionPageState
  }
}

export {}
