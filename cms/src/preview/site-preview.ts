/**
 * The admin's Preview (Content Manager > an entry > "Open preview"; config/admin.ts): which page of
 * the site shows an entry, and the URL that opens it there as a draft. The site's /api/preview
 * (web/server/api/preview/index.get.ts) checks the secret (PREVIEW_SECRET, the site's
 * NUXT_PREVIEW_SECRET), sets its preview cookie and sends the browser to the page, which then reads
 * drafts with the preview credential (PREVIEW_TOKEN, src/content-api/caller.ts).
 */
import type { Core } from '@strapi/strapi'
import { siteUrl } from '../private-area/site'

/** Shortest PREVIEW_SECRET accepted: a shorter one (or none) switches the admin's preview off. */
export const PREVIEW_SECRET_MIN_LENGTH = 32

type PagePath = (entry: { slug?: string | null }) => string | null

function bySlug(prefix: string, suffix = ''): PagePath {
  return entry => entry.slug
    ? `${prefix}${encodeURIComponent(entry.slug)}${suffix}`
    : null
}

/**
 * The site path of each previewable content type (README "Site map"). Topics are pages of their own
 * at /<slug> (web/app/pages/advanced-technology.vue and the like); a topic without one previews as
 * the site's 404. FAQ entries are questions of /faq, reached by their #slug.
 */
export const PREVIEW_PAGES: Record<string, { slug: boolean, path: PagePath }> = {
  'api::news-article.news-article': {
    slug: true,
    path: bySlug('/news/'),
  },
  'api::publication.publication': {
    slug: true,
    path: bySlug('/publications/'),
  },
  'api::topic.topic': {
    slug: true,
    path: bySlug('/'),
  },
  'api::faq.faq': {
    slug: true,
    path: bySlug('/faq#'),
  },
  'api::homepage.homepage': {
    slug: false,
    path: () => '/',
  },
  'api::about-page.about-page': {
    slug: false,
    path: () => '/about',
  },
}

export interface PreviewParams {
  documentId?: string
  locale?: string | null
  status?: string
}

/** The site's origin, the only one the admin may frame for a preview (its CSP frame-src). */
export function previewOrigins(): string[] {
  try {
    return [new URL(siteUrl()).origin]
  }
  catch {
    return [] // no SITE_URL in production: checkSiteSettings stops the start with the reason
  }
}

/**
 * The URL the admin's preview opens for an entry, or null (no preview: the type has no page, the
 * entry or its slug is missing, PREVIEW_SECRET is unset or short, or the admin user may not read
 * the type in the Content Manager).
 */
export async function previewUrl(strapi: Core.Strapi, uid: string, params: PreviewParams, secret = process.env.PREVIEW_SECRET): Promise<string | null> {
  const page = PREVIEW_PAGES[uid]
  if (!page || !secret || secret.length < PREVIEW_SECRET_MIN_LENGTH)
    return null
  // the route that asks (GET /content-manager/preview/url/:uid) only checks that an admin is signed in
  const ability = (strapi.requestContext.get() as { state?: { userAbility?: { can: (action: string, subject: string) => boolean } } } | undefined)?.state?.userAbility
  if (!ability?.can('plugin::content-manager.explorer.read', uid))
    return null
  const status = params.status === 'published'
    ? 'published'
    : 'draft'
  let entry: { slug?: string | null } = {}
  if (page.slug) {
    if (!params.documentId)
      return null
    const found = await strapi.documents(uid as 'api::news-article.news-article').findOne({
      documentId: params.documentId,
      status,
      ...(params.locale
        ? { locale: params.locale }
        : {}),
      fields: ['slug'],
    })
    if (!found)
      return null
    entry = found
  }
  const path = page.path(entry)
  if (!path)
    return null
  const query = new URLSearchParams({ secret, path, status })
  return `${siteUrl()}/api/preview?${query.toString()}`
}
