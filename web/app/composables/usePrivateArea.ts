import type { FieldError, PrivateAreaForm, PrivateAreaState } from '#shared/types/private-area'

/**
 * The Private Area state of this request (who is signed in, the CSRF token, the last form's
 * errors), prepared by server/middleware/private-area.ts. Private Area pages are rendered on the
 * server only (route rule noScripts), so this is read from the request, never sent to the browser.
 */
export function usePrivateArea() {
  const state: PrivateAreaState = useRequestEvent()?.context.privateArea ?? { member: null, csrfToken: '', flash: null }
  useHead({
    meta: [
      { name: 'robots', content: 'noindex' },
    ],
  })
  /** Errors, kept values and notice of the last POST of `form` (none when it was another form). */
  const formState = (form: PrivateAreaForm | PrivateAreaForm[]) => {
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
