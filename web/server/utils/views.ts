/**
 * Mapping from CMS entries, as the typed client returns them, to the view models in
 * shared/types/view.ts. The inputs are the CMS content types of @isecg/shared (optional fields may
 * be null or absent; relations are absent when not populated), so a field that does not exist in
 * the schema is a type error here.
 */
import type { Faq, Media, MemberAgency, NavigationLink, NewsArticle, Publication, Query, Topic } from '@isecg/shared'
import type {
  AgencyRef,
  FaqView,
  LinkView,
  MediaView,
  MemberView,
  NewsCardView,
  PublicationRef,
  PublicationView,
  TopicRef,
} from '../../shared/types/view'

type Maybe<T> = T | null | undefined

/** The media fields the site asks for (MEDIA_FIELDS). */
type MediaSource = Partial<Pick<Media, 'url' | 'alternativeText' | 'width' | 'height' | 'name' | 'ext' | 'mime' | 'size'>>
interface Visible { visibility?: Maybe<NewsArticle['visibility']> }
type TopicSource = Pick<Topic, 'slug' | 'title'>
type AgencySource = Pick<MemberAgency, 'slug' | 'acronym' | 'name'>
type NewsCardSource = Pick<NewsArticle, 'slug' | 'title' | 'date' | 'summary'> & Visible & { cover?: Maybe<MediaSource> }
type PublicationRefSource = Pick<Publication, 'slug' | 'title' | 'kind' | 'publicationDate'> & Visible
type PublicationSource = PublicationRefSource & Pick<Publication, 'abstract' | 'language'> & {
  cover?: Maybe<MediaSource>
  file?: Maybe<MediaSource>
  topics?: Maybe<TopicSource[]>
  supersedes?: Maybe<PublicationRefSource>
  supersededBy?: Maybe<PublicationRefSource>
  supplements?: Maybe<PublicationRefSource>
  supplementedBy?: Maybe<PublicationRefSource[]>
}
type MemberSource = Pick<MemberAgency, 'slug' | 'name' | 'acronym' | 'country' | 'website' | 'yearJoined' | 'founder'> & { logo?: Maybe<MediaSource> }
type FaqSource = Pick<Faq, 'slug' | 'question' | 'answer' | 'category'>

/** A date or date-time attribute as the REST API sends it (an ISO string). */
export function isoDate(value: Maybe<string | Date>): string {
  if (value instanceof Date) {
    return Number.isNaN(value.getTime())
      ? ''
      : value.toISOString()
  }
  return value ?? ''
}

function finite(value: Maybe<number>): number | null {
  return typeof value === 'number' && Number.isFinite(value)
    ? value
    : null
}

/** Drops entries marked members-only, in case a relation ever carries one (defence in depth). */
const isPublic = (entry: Visible) => entry.visibility !== 'members'

/** Media fields to request with `populate: { cover: MEDIA_FIELDS }`. */
export const MEDIA_FIELDS = {
  fields: [
    'url',
    'alternativeText',
    'width',
    'height',
    'name',
    'ext',
    'mime',
    'size',
  ],
} satisfies Query<'plugin::upload.file'>

/**
 * A CMS media URL as the browser should load it. Strapi returns /uploads/... paths; they are served
 * by this site's /uploads proxy (server/routes/uploads) unless NUXT_PUBLIC_MEDIA_URL names another origin.
 */
export function mediaUrl(url: string, mediaOrigin = ''): string {
  if (/^https?:\/\//i.test(url))
    return url
  const path = url.startsWith('/')
    ? url
    : `/${url}`
  return mediaOrigin
    ? `${mediaOrigin.replace(/\/+$/, '')}${path}`
    : path
}

export function toMedia(media: Maybe<MediaSource>, mediaOrigin = ''): MediaView | null {
  if (!media?.url)
    return null
  return {
    url: mediaUrl(media.url, mediaOrigin),
    alt: media.alternativeText ?? '',
    width: finite(media.width),
    height: finite(media.height),
    name: media.name || null,
    ext: media.ext || null,
    mime: media.mime || null,
    size: finite(media.size),
  }
}

export function toMediaList(media: Maybe<MediaSource[]>, mediaOrigin = ''): MediaView[] {
  return (media ?? []).map(item => toMedia(item, mediaOrigin)).filter(item => item !== null)
}

/**
 * True for hrefs an editor may put in navigation and footer links: site paths (/about, #id, ?q)
 * and http(s), mailto and tel URLs. Anything else (javascript:, data:, protocol-relative //host)
 * is dropped, as rich text links are.
 */
export function isSafeHref(href: string): boolean {
  const value = href.trim()
  if (/^\/(?![/\\])/.test(value) || /^[#?]/.test(value))
    return true
  return /^(?:https?:\/\/|mailto:|tel:)/i.test(value) && !/[\s<>"']/.test(value)
}

export function toLinks(links: Maybe<Partial<Pick<NavigationLink, 'label' | 'href'>>[]>): LinkView[] {
  return (links ?? [])
    .map(link => ({
      label: link.label ?? '',
      href: (link.href ?? '').trim(),
    }))
    .filter(link => link.label && link.href && isSafeHref(link.href))
}

export function toTopicRefs(topics: Maybe<TopicSource[]>): TopicRef[] {
  return (topics ?? []).map(topic => ({ slug: topic.slug ?? '', title: topic.title ?? '' })).filter(topic => topic.slug)
}

export function toAgencyRefs(agencies: Maybe<AgencySource[]>): AgencyRef[] {
  return (agencies ?? [])
    .map(agency => ({ slug: agency.slug ?? '', acronym: agency.acronym ?? '', name: agency.name ?? '' }))
    .filter(agency => agency.slug)
}

export function toNewsCard(entry: NewsCardSource, mediaOrigin = ''): NewsCardView {
  return {
    slug: entry.slug ?? '',
    title: entry.title ?? '',
    date: isoDate(entry.date),
    summary: entry.summary ?? '',
    cover: toMedia(entry.cover, mediaOrigin),
  }
}

export function toNewsCards(entries: Maybe<NewsCardSource[]>, mediaOrigin = ''): NewsCardView[] {
  return (entries ?? []).filter(isPublic).map(entry => toNewsCard(entry, mediaOrigin))
}

function toPublicationRef(entry: Maybe<PublicationRefSource>): PublicationRef | null {
  if (!entry?.slug || !isPublic(entry))
    return null
  return {
    slug: entry.slug,
    title: entry.title ?? '',
    date: isoDate(entry.publicationDate) || null,
    kind: entry.kind ?? null,
  }
}

export function toPublicationRefs(entries: Maybe<PublicationRefSource[]>): PublicationRef[] {
  return (entries ?? []).map(toPublicationRef).filter(ref => ref !== null)
}

export function toPublication(entry: PublicationSource, mediaOrigin = ''): PublicationView {
  return {
    slug: entry.slug ?? '',
    title: entry.title ?? '',
    kind: entry.kind ?? 'report',
    date: isoDate(entry.publicationDate),
    abstract: entry.abstract ?? '',
    language: entry.language || 'en',
    cover: toMedia(entry.cover, mediaOrigin),
    file: toMedia(entry.file, mediaOrigin),
    topics: toTopicRefs(entry.topics),
    supersedes: toPublicationRef(entry.supersedes),
    supersededBy: toPublicationRef(entry.supersededBy),
    supplements: toPublicationRef(entry.supplements),
    supplementedBy: toPublicationRefs(entry.supplementedBy),
  }
}

export function toPublications(entries: Maybe<PublicationSource[]>, mediaOrigin = ''): PublicationView[] {
  return (entries ?? []).filter(isPublic).map(entry => toPublication(entry, mediaOrigin))
}

export function toMember(entry: MemberSource, mediaOrigin = ''): MemberView {
  const website = entry.website ?? ''
  return {
    slug: entry.slug ?? '',
    name: entry.name ?? '',
    acronym: entry.acronym ?? '',
    country: entry.country ?? '',
    website: /^https?:\/\//i.test(website)
      ? website
      : null,
    yearJoined: finite(entry.yearJoined) ?? 2007,
    founder: entry.founder === true,
    logo: toMedia(entry.logo, mediaOrigin),
  }
}

export function toFaq(entry: FaqSource, render: (markdown: string) => string): FaqView {
  return {
    slug: entry.slug ?? '',
    question: entry.question ?? '',
    answerHtml: render(entry.answer ?? ''),
    category: entry.category || 'General',
  }
}
