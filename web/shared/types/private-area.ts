/**
 * View models of the Private Area (docs/private-area.md): the signed-in member, the state the
 * private pages render (server/middleware/private-area.ts) and the members-only content
 * (server/api/private-area/index.get.ts). Files are linked through /private-area/files/<fileId>,
 * never through /uploads.
 */
import type { MemberDocumentKind } from '@isecg/shared'
import type { SubscriptionForm } from './subscriptions'
import type { NewsCardView, PublicationKind, TopicRef } from './view'

/** The member as the CMS's /api/member-auth answers describe them. */
export interface MemberAccount {
  id: number
  email: string
  fullName: string
  agency: { name: string, acronym: string } | null
}

/** The forms of the Private Area, each a POST to /api/private-area/<form>. */
export type PrivateAreaForm = 'sign-in' | 'sign-out' | 'forgot-password' | 'invitation' | 'reset-password'

export interface FieldError {
  /** id of the input the message is about (the summary links to #<field>). */
  field: string
  message: string
}

/** What a form POST hands to the page it redirects to (a short-lived signed cookie). */
export interface FormFlash {
  form: PrivateAreaForm | SubscriptionForm
  errors?: FieldError[]
  /**
   * Values to show again (never a password). `choice` and `topics` are the news subscription's
   * ("all" or "topics", topic slugs), `consent` its consent box.
   */
  values?: { email?: string, choice?: 'all' | 'topics', topics?: string[], consent?: boolean }
  /** A confirmation shown once, e.g. "You have signed out." */
  notice?: string
  /** HTTP status of the page that shows the errors (400 invalid input, 429 rate limited, 503). */
  status?: number
}

/** Set on every Private Area page request (event.context.privateArea). */
export interface PrivateAreaState {
  member: MemberAccount | null
  /** Token for the hidden `_csrf` field of every form. */
  csrfToken: string
  flash: FormFlash | null
}

export interface MemberFileView {
  /** /private-area/files/<fileId> */
  href: string
  name: string
  ext: string | null
  mime: string | null
  /** Size in kilobytes, as Strapi reports it. */
  size: number | null
}

export interface MemberNewsView extends NewsCardView {
  bodyHtml: string
  attachments: MemberFileView[]
}

export interface MemberPublicationView {
  slug: string
  title: string
  kind: PublicationKind
  date: string
  abstract: string
  file: MemberFileView | null
  topics: TopicRef[]
}

export interface MemberDocumentView {
  documentId: string
  title: string
  summary: string
  kind: MemberDocumentKind
  date: string
  workingGroup: string
  topics: TopicRef[]
  file: MemberFileView | null
}

export interface MemberDocumentQuery {
  kind: MemberDocumentKind | ''
  year: number | null
  group: string
  topic: string
  q: string
}

export interface PrivateAreaView {
  news: MemberNewsView[]
  publications: MemberPublicationView[]
  documents: MemberDocumentView[]
  query: MemberDocumentQuery
  facets: {
    kinds: MemberDocumentKind[]
    years: number[]
    groups: string[]
    topics: TopicRef[]
  }
}
