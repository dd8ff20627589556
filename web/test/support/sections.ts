/**
 * Every section of the site, as the accessibility (axe-core, e2e) and markup (Nu HTML Checker,
 * server) tests visit it: one URL per page file in web/app/pages, a news article and a publication,
 * each content page (web/content/*.md), a filtered list and a page past the first, and the 404 page.
 * `pageFilesWithoutSection()` tells which page file has no URL here, so that a new page fails
 * those tests until it is listed.
 */
import { readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { webDir } from './paths'

export interface Section {
  /** short name, used in test titles and file names */
  name: string
  path: string
  /** HTTP status the site answers with */
  status: number
}

export const SECTIONS: readonly Section[] = [
  { name: 'home', path: '/', status: 200 },
  { name: 'about', path: '/about', status: 200 },
  { name: 'news', path: '/news', status: 200 },
  { name: 'news-page-2', path: '/news?page=2', status: 200 },
  { name: 'news-article', path: '/news/isecg-meeting-songdo-december-2023', status: 200 },
  { name: 'publications', path: '/publications', status: 200 },
  { name: 'publications-filtered', path: '/publications?kind=roadmap', status: 200 },
  { name: 'publication', path: '/publications/global-exploration-roadmap-2018', status: 200 },
  { name: 'members', path: '/members', status: 200 },
  { name: 'faq', path: '/faq', status: 200 },
  { name: 'developers', path: '/developers', status: 200 },
  { name: 'advanced-technology', path: '/advanced-technology', status: 200 },
  { name: 'science-perspectives', path: '/science-perspectives', status: 200 },
  { name: 'lunar-volatiles', path: '/lunar-volatiles', status: 200 },
  { name: 'legal', path: '/legal', status: 200 },
  { name: 'privacy', path: '/privacy', status: 200 },
  { name: 'accessibility', path: '/accessibility', status: 200 },
  // the Private Area as a signed-out visitor sees it (the signed-in pages: private-area tests)
  { name: 'private-area', path: '/private-area', status: 200 },
  { name: 'sign-in', path: '/private-area/sign-in', status: 200 },
  { name: 'forgot-password', path: '/private-area/forgot-password', status: 200 },
  { name: 'invitation-expired', path: '/private-area/invitation/no-such-token', status: 404 },
  { name: 'reset-expired', path: '/private-area/reset-password/no-such-token', status: 404 },
  // news subscriptions (the pages of valid links: subscriptions tests)
  { name: 'subscribe', path: '/subscribe', status: 200 },
  { name: 'subscribe-check-email', path: '/subscribe/check-your-email', status: 200 },
  { name: 'subscribe-confirm-invalid', path: '/subscribe/confirm/no-such-token-0000000000', status: 404 },
  { name: 'subscribe-preferences-invalid', path: '/subscribe/preferences/no-such-token-000000.no-such-signature-00', status: 404 },
  { name: 'subscribe-unsubscribe-invalid', path: '/subscribe/unsubscribe/no-such-token-000000.no-such-signature-00', status: 404 },
  { name: 'not-found', path: '/no-such-page', status: 404 },
]

const pagesDir = join(webDir, 'app', 'pages')
const contentDir = join(webDir, 'content')

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(entry =>
    entry.isDirectory()
      ? files(join(dir, entry.name))
      : [
          join(dir, entry.name),
        ])
}

/** The route a page file serves, as a RegExp on the pathname (Nuxt's file-based routing). */
export function routeOf(file: string): RegExp {
  const segments = relative(pagesDir, file).replace(/\.vue$/, '').split('/')
  if (segments.at(-1) === 'index')
    segments.pop()
  const pattern = segments.map((segment) => {
    if (/^\[\.\.\.\w+\]$/.test(segment))
      return '.+'
    if (/^\[\w+\]$/.test(segment))
      return '[^/]+'
    return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  }).join('/')
  return new RegExp(`^/${pattern}$`)
}

/**
 * Page files (relative to web/app/pages) for which SECTIONS has no URL, and content pages
 * (web/content/*.md) that are not visited. A section counts for the most specific page file that
 * serves it (a static name before [slug] before [...slug]), as in Nuxt's router.
 */
export function pageFilesWithoutSection(sections: readonly Section[] = SECTIONS): string[] {
  const pages = files(pagesDir).filter(file => file.endsWith('.vue'))
  const specificity = (file: string) => (file.includes('[...')
    ? 2
    : file.includes('[')
      ? 1
      : 0)
  const byPriority = [...pages].sort((a, b) => specificity(a) - specificity(b))
  const served = new Set(sections.map(({ path }) => {
    const pathname = new URL(path, 'http://site').pathname
    return byPriority.find(file => routeOf(file).test(pathname))
  }))
  const missingPages = pages.filter(file => !served.has(file)).map(file => relative(pagesDir, file))
  const visited = new Set(sections.map(({ path }) => path))
  const missingContent = files(contentDir)
    .filter(file => file.endsWith('.md'))
    .map(file => `/${relative(contentDir, file).replace(/\.md$/, '')}`)
    .filter(path => !visited.has(path))
    .map(path => `content${path}.md`)
  return [
    ...missingPages,
    ...missingContent,
  ]
}
