/**
 * News notifications, the site's side (docs/notifications.md "Site"): what the /subscribe forms
 * send to the CMS's /api/subscriptions/* endpoints (through siteApi, server/utils/member-api.ts),
 * and the checks the site makes before asking the CMS.
 */
import type { H3Event } from 'h3'
import type { FieldError } from '../../shared/types/private-area'
import type { SubscriptionChoice } from '../../shared/types/subscriptions'
import { queryCollection } from '@nuxt/content/server'

export const SUBSCRIBE_PAGE = '/subscribe'
export const CHECK_EMAIL_PAGE = '/subscribe/check-your-email'
export const SUBSCRIPTIONS_UNAVAILABLE = 'The subscription service is not available at the moment. Nothing has been changed. Please try again in a few minutes.'

/**
 * The honeypot field of the subscribe form: hidden from people (display: none, not focusable, not
 * announced), so only a robot filling in every field sends a value.
 */
export const HONEYPOT_FIELD = 'homepage'

/**
 * Tokens from the subscription links, as the CMS writes them: a confirmation token (43 base64url
 * characters) or a manage token (`<subjectRef>.<HMAC>`).
 */
export function isSubscriptionToken(value: unknown): value is string {
  return typeof value === 'string' && /^[\w-]{16,256}(?:\.[\w-]{16,256})?$/.test(value)
}

const TOPIC_SLUG = /^[a-z0-9-]{1,80}$/

/**
 * The version of the privacy notice a subscriber agrees to: the `updated` date of
 * web/content/privacy.md, read from the content module (so it cannot drift from the page).
 */
export async function privacyPolicyVersion(event: H3Event): Promise<string> {
  const page = await queryCollection(event, 'pages').path('/privacy').first()
  const updated = page?.updated
  if (!updated || !/^\d{4}-\d{2}-\d{2}$/.test(updated))
    throw new Error('web/content/privacy.md has no `updated` date')
  return updated
}

export interface ChoiceFields {
  choice: 'all' | 'topics' | ''
  topics: string[]
}

/** The "all news / these topics" part of a form: radio `choice`, checkboxes `topics`. */
export function readChoice(fields: Record<string, string[]>): ChoiceFields {
  const choice = fields.choice?.[0]
  const topics = [
    ...new Set((fields.topics ?? []).filter(slug => TOPIC_SLUG.test(slug))),
  ]
  return {
    // ticking topics without the radio button above them is a choice of those topics
    choice: choice === 'all' || choice === 'topics'
      ? choice
      : topics.length
        ? 'topics'
        : '',
    topics,
  }
}

/** What is missing in a choice; the messages name what to do. */
export function choiceErrors({ choice, topics }: ChoiceFields): FieldError[] {
  if (!choice) {
    return [
      { field: 'choice', message: 'Choose all ISECG news or only news about some topics' },
    ]
  }
  if (choice === 'topics' && !topics.length) {
    return [
      { field: 'topics', message: 'Select at least one topic, or choose all ISECG news' },
    ]
  }
  return []
}

/** The body the CMS expects for a choice: no topics with all news. */
export function choiceBody({ choice, topics }: ChoiceFields) {
  return {
    allNews: choice === 'all',
    topics: choice === 'all'
      ? []
      : topics,
  }
}

/**
 * The CMS's 400 field errors as messages about this site's fields. Its own messages are for
 * developers; the site says what to do.
 */
export function cmsChoiceErrors(errors: FieldError[]): FieldError[] {
  const mapped = errors.map(({ field }): FieldError => {
    switch (field) {
      case 'email':
        return { field: 'email', message: 'Enter an email address in the correct format, like name@agency.org' }
      case 'consent':
        return { field: 'consent', message: 'Tick the box to agree to receive these mails' }
      case 'topics':
        return { field: 'topics', message: 'Select at least one of the topics listed, or choose all ISECG news' }
      case 'allNews':
        return { field: 'choice', message: 'Choose all ISECG news or only news about some topics' }
      default:
        return { field: 'email', message: 'Your request could not be accepted. Reload the page and try again.' }
    }
  })
  const unique = mapped.filter((error, index) => mapped.findIndex(e => e.field === error.field) === index)
  return unique.length
    ? unique
    : [
        { field: 'email', message: 'Your request could not be accepted. Reload the page and try again.' },
      ]
}

/** A choice as the CMS answers it (GET confirm/manage), or null when the answer is not one. */
export function toSubscriptionChoice(data: unknown): SubscriptionChoice | null {
  const value = data as Partial<SubscriptionChoice> | null
  if (!value || typeof value.email !== 'string' || typeof value.allNews !== 'boolean')
    return null
  return {
    email: value.email,
    allNews: value.allNews,
    topics: (Array.isArray(value.topics)
      ? value.topics
      : []).filter(topic => typeof topic?.slug === 'string').map(topic => ({
      slug: topic.slug,
      title: String(topic.title ?? topic.slug),
    })),
  }
}

/**
 * GET /api/subscriptions/<kind>/<token> for a page: the choice, 404 when the CMS does not know the
 * token (unknown, expired, used), 503 when it cannot answer.
 */
export async function readSubscriptionLink<T>(event: H3Event, kind: 'confirm' | 'manage', token: unknown): Promise<T> {
  if (!isSubscriptionToken(token))
    throw createError({ statusCode: 404, statusMessage: 'Not Found' })
  const answer = await siteApi<T>(event, `subscriptions/${kind}/${encodeURIComponent(token)}`)
  if (answer.status === 200 && answer.data)
    return answer.data
  if (answer.status === 404 || answer.status === 400)
    throw createError({ statusCode: 404, statusMessage: 'Not Found' })
  throw createError({ statusCode: 503, statusMessage: 'Service Unavailable' })
}

/** The page of a manage token. */
export function preferencesPage(token: string): string {
  return `/subscribe/preferences/${encodeURIComponent(token)}`
}
