import type { FieldError, FormFlash } from '#shared/types/private-area'

/**
 * What the server-rendered form pages (Private Area, news subscriptions) share: they are kept out of
 * search engines, and each shows the errors, kept values and notice of its own last POST, read from
 * the flash the request carried (server/utils/private-forms.ts).
 */
export function useFormPage<Form extends FormFlash['form']>(flash: FormFlash | null) {
  useHead({
    meta: [
      { name: 'robots', content: 'noindex' },
    ],
  })
  /** Errors, kept values and notice of the last POST of `form` (none when it was another form). */
  const formState = (form: Form | Form[]) => {
    const forms: string[] = Array.isArray(form)
      ? form
      : [form]
    const own = flash && forms.includes(flash.form)
      ? flash
      : null
    const errors: FieldError[] = own?.errors ?? []
    return {
      errors,
      values: own?.values ?? {},
      notice: own?.notice ?? '',
      /** The message for one field, or ''. */
      error: (field: string) => errors.find(e => e.field === field)?.message ?? '',
    }
  }
  return formState
}
