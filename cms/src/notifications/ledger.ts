/**
 * The consent ledger (`api::consent-event.consent-event`, docs/notifications.md): append-only
 * events written by this CMS only. A Document Service middleware refuses every change and every
 * deletion, from the admin and from code alike, and refuses creation outside `appendEvent` (an
 * AsyncLocalStorage flag), so a Super Admin cannot add or rewrite consent either.
 */
import type { Core } from '@strapi/strapi'
import { AsyncLocalStorage } from 'node:async_hooks'
import { errors } from '@strapi/utils'

export const CONSENT_UID = 'api::consent-event.consent-event'

export type EventType = 'requested' | 'confirmed' | 'topics_changed' | 'unsubscribed' | 'erased'
export type EventSource = 'subscribe_form' | 'confirmation_link' | 'preferences' | 'one_click' | 'admin' | 'expiry'

export interface Choice {
  allNews: boolean
  /** topic slugs */
  topics: string[]
}

export interface LedgerEvent {
  type: EventType
  subjectRef: string
  /** the subscriber's documentId; none for `erased` (the row is about to go) */
  subscriber?: string | null
  policyVersion?: string | null
  source: EventSource
  /** links.ts clientHash of the client address, never the address */
  clientHash?: string | null
  choice?: Choice | null
}

const appending = new AsyncLocalStorage<true>()

const READS = new Set([
  'findMany',
  'findFirst',
  'findOne',
  'count',
])

export async function appendEvent(strapi: Core.Strapi, event: LedgerEvent): Promise<void> {
  await appending.run(true, () => strapi.documents(CONSENT_UID).create({
    data: {
      type: event.type,
      occurredAt: new Date(),
      subjectRef: event.subjectRef,
      policyVersion: event.policyVersion ?? null,
      source: event.source,
      clientHash: event.clientHash ?? null,
      choice: event.choice ?? null,
      ...(event.subscriber
        ? { subscriber: event.subscriber }
        : {}),
    },
  } as never))
}

export function registerLedgerGuard(strapi: Core.Strapi): void {
  strapi.documents.use(async (context, next) => {
    if (context.uid !== CONSENT_UID || READS.has(context.action))
      return next()
    if (context.action === 'create' && appending.getStore())
      return next()
    // ForbiddenError: the admin shows its message; the Content Manager answers 403
    throw new errors.ForbiddenError('The consent ledger is append-only: its events are written by the CMS and cannot be changed or deleted')
  })
}
