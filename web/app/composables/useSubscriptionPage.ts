import type { FieldError } from '#shared/types/private-area'
import type { SubscriptionForm, SubscriptionPageState } from '#shared/types/subscriptions'

/**
 * The state of a /subscribe page request (the CSRF token, the last form's errors, whether this
 * request unsubscribed), prepared by server/middleware/subscriptions.ts. These pages are rendered on
 * the server only (route rule noScripts), so this is read from the request, never sent to the browser.
 */
export function useSubscriptionPage() {
  const state: SubscriptionPageState = useRequestEvent()?.context.subscriptions ?? { csrfToken: '', flash: null }
  useHead({
    meta: [
      { name: 'robots', content: 'noindex' },
    ],
  })
  /** Errors, kept values and notice of the last POST of `form` (none when it was another form). */
  const formState = (form: SubscriptionForm | SubscriptionForm[]) => {
    const forms = Array.isArray(form)
      ? form
      : [form]
    const flash = state.flash && (forms as string[]).includes(state.flash.form)
      ? state.flash
      : null
    const errors: FieldError[] = flash?.errors ?? []
    return {
      errors,
      values: flash?.values ?? {},
      notice: flash?.notice ?? '',
      /** The message for one field, or ''. */
      error: (field: string) => errors.find(e => e.field === field)?.message ?? '',
    }
  }
  return { ...state, formState }
}
