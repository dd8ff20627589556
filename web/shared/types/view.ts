/**
 * View models the server routes (server/api/*) send to the pages. They are derived from the CMS
 * content types in @isecg/shared, already transformed for display: markdown rendered to sanitised
 * HTML, media URLs made absolute or proxied, members-only relations dropped.
 */
import type { Contact, NewsArticle, Pagination, Principle, Publication, PublicationKind, SiteSetting } from '@isecg/shared'

export type { Pagination, PublicationKind }

/** Text fields of a CMS type, as the view models carry them: present, never null. */
type Text<T, K extends keyof T> = { [P in K]-?: string }

export interface MediaView {
  url: string
  alt: string
  width?: number | null
  height?: number | null
  name?: string | null
  ext?: string | null
  mime?: string | null
  /** Size in kilobytes, as Strapi reports it. */
  size?: number | null
}

export interface LinkView {
  label: string
  href: string
}

export type ContactView = { [K in 'organisation' | 'address' | 'email' | 'phone']: NonNullable<Contact[K]> | null }

export interface SiteView extends Text<SiteSetting, 'siteName' | 'tagline' | 'footerText'> {
  navigation: LinkView[]
  footerLinks: LinkView[]
  contact: ContactView | null
  brochure: MediaView | null
}

export interface TopicRef {
  slug: string
  title: string
}

export interface AgencyRef {
  slug: string
  acronym: string
  name: string
}

export interface NewsCardView extends Text<NewsArticle, 'slug' | 'title' | 'date' | 'summary'> {
  cover: MediaView | null
}

export interface NewsArticleView extends NewsCardView {
  bodyHtml: string
  description: string
  updatedAt: string | null
  topics: TopicRef[]
  agencies: AgencyRef[]
  attachments: MediaView[]
}

export interface NewsPageView {
  items: NewsCardView[]
  pagination: Pagination
}

export interface PublicationRef {
  slug: string
  title: string
  date: string | null
  kind: PublicationKind | null
}

export interface PublicationView extends Text<Publication, 'slug' | 'title' | 'abstract' | 'language'> {
  kind: PublicationKind
  date: string
  cover: MediaView | null
  file: MediaView | null
  topics: TopicRef[]
  supersedes: PublicationRef | null
  supersededBy: PublicationRef | null
  supplements: PublicationRef | null
  supplementedBy: PublicationRef[]
}

export interface LibraryQuery {
  kind: PublicationKind | ''
  topic: string
  year: number | null
  q: string
}

export interface LibraryView {
  items: PublicationView[]
  total: number
  query: LibraryQuery
  facets: {
    kinds: PublicationKind[]
    topics: TopicRef[]
    years: number[]
  }
}

export interface MemberView {
  slug: string
  name: string
  acronym: string
  country: string
  website: string | null
  yearJoined: number
  founder: boolean
  logo: MediaView | null
}

export interface FaqView {
  slug: string
  question: string
  answerHtml: string
  category: string
}

export interface FaqGroupView {
  category: string
  /** Id of the group's heading, for the in-page table of contents. */
  id: string
  items: FaqView[]
}

export interface TopicView {
  slug: string
  title: string
  intro: string
  bodyHtml: string
  news: NewsCardView[]
  publications: PublicationRef[]
}

export interface HomeView {
  heroTitle: string
  heroText: string
  introTitle: string
  introHtml: string
  featured: PublicationView[]
  news: NewsCardView[]
  members: MemberView[]
}

export type PrincipleView = Text<Principle, 'title' | 'description'>

export interface AboutView {
  title: string
  introHtml: string
  principles: PrincipleView[]
  originHtml: string
  termsHtml: string
  membershipHtml: string
}
