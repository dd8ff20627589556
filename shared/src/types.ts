/**
 * Content types of the ISECG CMS, derived from Strapi's generated schema types
 * (cms/types/generated, regenerate with `pnpm --filter cms generate-types`).
 * No hand-written copies of content shapes live here.
 */
import type { Data, Modules, UID } from '@strapi/strapi'
import type { CollectionName, collections, SingleName, singles } from './collections'

export type { Data, UID }

/** The shape the Document Service (and so the REST API) returns for `uid` queried with `params`. */
export type Result<
  TUID extends UID.ContentType,
  TParams extends Modules.Documents.Params.Pick<TUID, 'fields' | 'populate'> = never,
> = Modules.Documents.Result<TUID, TParams>

/**
 * The `fields`, `populate`, `filters` and `sort` a query may ask for on `uid`, checked against the
 * schema: a misspelt field, a relation that does not exist or a filter value outside an
 * enumeration is a type error. Write constants with `satisfies Query<UID>` (not `as const`) so
 * that their arrays keep literal types.
 */
export type Query<TUID extends UID.Schema> = Modules.Documents.Params.Pick<TUID, 'fields' | 'populate' | 'filters' | 'sort'>

export type Entry<TUID extends UID.ContentType> = Data.ContentType<TUID>
export type Component<TUID extends UID.Component> = Data.Component<TUID>

export type NewsArticle = Entry<'api::news-article.news-article'>
export type Publication = Entry<'api::publication.publication'>
export type MemberAgency = Entry<'api::member-agency.member-agency'>
export type Faq = Entry<'api::faq.faq'>
export type Topic = Entry<'api::topic.topic'>
export type Homepage = Entry<'api::homepage.homepage'>
export type SiteSetting = Entry<'api::site-setting.site-setting'>
export type AboutPage = Entry<'api::about-page.about-page'>
export type MemberDocument = Entry<'api::member-document.member-document'>
export type NavigationLink = Component<'navigation.link'>
export type Contact = Component<'shared.contact'>
export type Principle = Component<'shared.principle'>

/** An uploaded file as the REST API returns it (plugin::upload.file). */
export type Media = Entry<'plugin::upload.file'>

export type PublicationKind = NonNullable<Publication['kind']>
export type Visibility = NonNullable<NewsArticle['visibility']>
export type MemberDocumentKind = NonNullable<MemberDocument['kind']>

export type CollectionUID<C extends CollectionName> = (typeof collections)[C]
export type SingleUID<S extends SingleName> = (typeof singles)[S]
export type EntryOf<C extends CollectionName> = Entry<CollectionUID<C>>
export type SingleOf<S extends SingleName> = Entry<SingleUID<S>>

export interface Pagination {
  page: number
  pageSize: number
  pageCount: number
  total: number
}

export interface ListResponse<T> {
  data: T[]
  meta: { pagination: Pagination }
}

export interface ItemResponse<T> {
  data: T
  meta: Record<string, unknown>
}

/** The error body Strapi sends with 4xx/5xx answers. */
export interface StrapiErrorBody {
  data: null
  error: { status: number, name: string, message: string, details?: unknown }
}
