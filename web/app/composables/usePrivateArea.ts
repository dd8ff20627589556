import type { PrivateAreaForm, PrivateAreaState } from '#shared/types/private-area'

/**
 * The Private Area state of this request (who is signed in, the CSRF token, the last form's
 * errors), prepared by server/middleware/private-area.ts. Private Area pages are rendered on the
 * server only (route rule noScripts), so this is read from the request, never sent to the browser.
 */
export function usePrivateArea() {
  const state: PrivateAreaState = useRequestEvent()?.context.privateArea ?? { member: null, csrfToken: '', flash: null }
  const formState = useFormPage<PrivateAreaForm>(state.flash)
  return { ...state, formState }
}
