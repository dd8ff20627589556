/**
 * Mapping from CMS entries (as the typed client returns them) to the view models in
 * shared/types/view.ts. Fields are read defensively: the CMS may return null for optional fields,
 * and relations may be absent when not populated.
 */
import type { Media } from '@isecg/shared'
import type {
  AgencyRef, FaqView, LinkView, MediaView, MemberView, NewsCardView, PublicationRef, PublicationView, TopicRef,
} from '../../shared/types/view'
import { isPublicationKind } from '../../shared/utils/kinds'

type Fields = Record<string, unknown>

const asRecord = (value: unknown): Fields | null =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Fields) : null
export const str = (value: unknown, fallback = ''): string => (typeof value === 'string' ? value : fallback)
const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null)
const list = (value: unknown): Fields[] =>
  Array.isArray(value) ? value.map(asRecord).filter((item): item is Fields => item !== null) : []

/** Drops entries marked members-only, in case a relation ever carries one (defence in depth). */
const isPublic = (entry: Fields) => entry.visibility !== 'members'

/** Media fields to request with `populate: { cover: MEDIA_FIELDS }`. */
export const MEDIA_FIELDS = { fields: ['url', 'alternativeText', 'width', 'height', 'name', 'ext', 'mime', 'size'] }

/**
 * A CMS media URL as the browser should load it. Strapi returns /uploads/... paths; they are served
 * by this site's /uploads proxy (server/routes/uploads) unless NUXT_PUBLIC_MEDIA_URL names another origin.
 */
export function mediaUrl(url: string, mediaOrigin = ''): string {
  if (/^https?:\/\//i.test(url)) return url
  const path = url.startsWith('/') ? url : `/${url}`
  return mediaOrigin ? `${mediaOrigin.replace(/\/+$/, '')}${path}` : path
}

export function toMedia(value: Media | unknown, mediaOrigin = ''): MediaView | null {
  const media = asRecord(value)
  const url = str(media?.url)
  if (!media || !url) return null
  return {
    url: mediaUrl(url, mediaOrigin),
    alt: str(media.alternativeText),
    width: num(media.width),
    height: num(media.height),
    name: str(media.name) || null,
    ext: str(media.ext) || null,
    mime: str(media.mime) || null,
    size: num(media.size),
  }
}

/**
 * True for hrefs an editor may put in navigation and footer links: site paths (/about, #id, ?q)
 * and http(s), mailto and tel URLs. Anything else (javascript:, data:, protocol-relative //host)
 * is dropped, as rich text links are.
 */
export function isSafeHref(href: string): boolean {
  const value = href.trim()
  if (/^\/(?![\/\\])/.test(value) || /^[#?]/.test(value)) return true
  return /^(https?:\/\/|mailto:|tel:)/i.test(value) && !/[\s<>"']/.test(value)
}

export function toLinks(value: unknown): LinkView[] {
  return list(value)
    .map(link => ({ label: str(link.label), href: str(link.href).trim() }))
    .filter(link => link.label && link.href && isSafeHref(link.href))
}

export function toTopicRefs(value: unknown): TopicRef[] {
  return list(value).map(topic => ({ slug: str(topic.slug), title: str(topic.title) })).filter(topic => topic.slug)
}

export function toAgencyRefs(value: unknown): AgencyRef[] {
  return list(value)
    .map(agency => ({ slug: str(agency.slug), acronym: str(agency.acronym), name: str(agency.name) }))
    .filter(agency => agency.slug)
}

export function toNewsCard(value: unknown, mediaOrigin = ''): NewsCardView {
  const entry = asRecord(value) ?? {}
  return {
    slug: str(entry.slug),
    title: str(entry.title),
    date: str(entry.date),
    summary: str(entry.summary),
    cover: toMedia(entry.cover, mediaOrigin),
  }
}

export function toNewsCards(value: unknown, mediaOrigin = ''): NewsCardView[] {
  return list(value).filter(isPublic).map(entry => toNewsCard(entry, mediaOrigin))
}

export function toPublicationRef(value: unknown): PublicationRef | null {
  const entry = asRecord(value)
  if (!entry || !str(entry.slug) || !isPublic(entry)) return null
  return {
    slug: str(entry.slug),
    title: str(entry.title),
    date: str(entry.publicationDate) || null,
    kind: isPublicationKind(entry.kind) ? entry.kind : null,
  }
}

export function toPublicationRefs(value: unknown): PublicationRef[] {
  return list(value).map(toPublicationRef).filter((ref): ref is PublicationRef => ref !== null)
}

export function toPublication(value: unknown, mediaOrigin = ''): PublicationView {
  const entry = asRecord(value) ?? {}
  return {
    slug: str(entry.slug),
    title: str(entry.title),
    kind: isPublicationKind(entry.kind) ? entry.kind : 'report',
    date: str(entry.publicationDate),
    abstract: str(entry.abstract),
    language: str(entry.language, 'en') || 'en',
    cover: toMedia(entry.cover, mediaOrigin),
    file: toMedia(entry.file, mediaOrigin),
    topics: toTopicRefs(entry.topics),
    supersedes: toPublicationRef(entry.supersedes),
    supersededBy: toPublicationRef(entry.supersededBy),
    supplements: toPublicationRef(entry.supplements),
    supplementedBy: toPublicationRefs(entry.supplementedBy),
  }
}

export function toPublications(value: unknown, mediaOrigin = ''): PublicationView[] {
  return list(value).filter(isPublic).map(entry => toPublication(entry, mediaOrigin))
}

export function toMember(value: unknown, mediaOrigin = ''): MemberView {
  const entry = asRecord(value) ?? {}
  const website = str(entry.website)
  return {
    slug: str(entry.slug),
    name: str(entry.name),
    acronym: str(entry.acronym),
    country: str(entry.country),
    website: /^https?:\/\//i.test(website) ? website : null,
    yearJoined: num(entry.yearJoined) ?? 2007,
    founder: entry.founder === true,
    logo: toMedia(entry.logo, mediaOrigin),
  }
}

export function toFaq(value: unknown, render: (markdown: string) => string): FaqView {
  const entry = asRecord(value) ?? {}
  return {
    slug: str(entry.slug),
    question: str(entry.question),
    answerHtml: render(str(entry.answer)),
    category: str(entry.category) || 'General',
  }
}

export { list as entries }
