/**
 * View models of the news subscription pages (/subscribe/**, docs/notifications.md "Site"). The
 * pages are rendered on the server only; what they read comes from the CMS's /api/subscriptions/*
 * endpoints through this site's server routes (server/api/subscriptions/*).
 */
import type { FormFlash } from './private-area'
import type { TopicRef } from './view'

/** The forms of the subscription pages, each a POST to /api/subscriptions/<form>. */
export type SubscriptionForm = 'subscribe' | 'confirm' | 'preferences' | 'unsubscribe'

/** A subscription's choice as the CMS describes it. */
export interface SubscriptionChoice {
  email: string
  allNews: boolean
  topics: TopicRef[]
}

/** A subscription read with its manage token (preferences page). */
export interface SubscriptionView extends SubscriptionChoice {
  status: 'pending' | 'confirmed' | 'unsubscribed'
}

/** Set on every /subscribe page request (event.context.subscriptions). */
export interface SubscriptionPageState {
  /** Token for the hidden `_csrf` field of the forms (empty on the unsubscribe page, which needs none). */
  csrfToken: string
  flash: FormFlash | null
  /** Set when this request is the unsubscribe page's POST and the CMS has unsubscribed the address. */
  unsubscribed?: boolean
}
