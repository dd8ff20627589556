import type { SubscriptionForm, SubscriptionPageState } from '#shared/types/subscriptions'

/**
 * The state of a /subscribe page request (the CSRF token, the last form's errors, whether this
 * request unsubscribed), prepared by server/middleware/subscriptions.ts. These pages are rendered on
 * the server only (route rule noScripts), so this is read from the request, never sent to the browser.
 */
export function useSubscriptionPage() {
  const state: SubscriptionPageState = useRequestEvent()?.context.subscriptions ?? { csrfToken: '', flash: null }
  const formState = useFormPage<SubscriptionForm>(state.flash)
  return { ...state, formState }
}
