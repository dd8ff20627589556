import type { H3Event } from 'h3'

/** Development defaults, used only by `nuxt dev` when NUXT_CMS_URL / NUXT_PUBLIC_SITE_URL are unset. */
const DEV_CMS_URL = 'http://localhost:1337'

/** Strapi origin without /api (NUXT_CMS_URL). */
export function cmsOrigin(_event?: H3Event): string {
  const { cmsUrl } = useRuntimeConfig()
  return (cmsUrl || (import.meta.dev
    ? DEV_CMS_URL
    : '')).replace(/\/+$/, '')
}

/** Public origin of this site (NUXT_PUBLIC_SITE_URL); in development, the request's own origin. */
export function siteOrigin(event: H3Event): string {
  const { siteUrl } = useRuntimeConfig().public
  return (siteUrl || (import.meta.dev
    ? getRequestURL(event).origin
    : '')).replace(/\/+$/, '')
}

/**
 * What is wrong with the configuration a production server needs, as messages for the operator
 * (empty when it can start). Checked at start by server/plugins/00.config-check.ts.
 */
export function configProblems(config: { cmsUrl?: string, siteApiKey?: string, session?: { password?: string }, public: { siteUrl?: string, mediaUrl?: string } }): string[] {
  const problems: string[] = []
  const check = (name: string, value: string | undefined, required: boolean, pathAllowed = false) => {
    if (!value) {
      if (required)
        problems.push(`${name} is not set`)
      return
    }
    let url: URL
    try {
      url = new URL(value)
    }
    catch {
      problems.push(`${name} is not a URL: ${JSON.stringify(value)}`)
      return
    }
    const hasPath = url.pathname.replace(/\/+$/, '') !== ''
    if (!/^https?:$/.test(url.protocol) || (hasPath && !pathAllowed) || url.search || url.hash) {
      const shape = pathAllowed ? 'an http(s) URL without query or fragment' : 'an http(s) origin without a path'
      problems.push(`${name} must be ${shape}, e.g. https://www.isecg.example (got ${JSON.stringify(value)})`)
    }
  }
  check('NUXT_CMS_URL (the CMS origin, e.g. http://cms.internal:1337)', config.cmsUrl, true)
  check('NUXT_PUBLIC_SITE_URL (this site\'s public origin, e.g. https://www.globalspaceexploration.org)', config.public.siteUrl, true)
  // a CDN may serve the uploads under a path prefix
  check('NUXT_PUBLIC_MEDIA_URL', config.public.mediaUrl, false, true)
  const secret = (name: string, value: string | undefined) => {
    if (!value)
      problems.push(`${name} is not set`)
    else if (value.length < 32)
      problems.push(`${name} must be at least 32 characters long (got ${value.length})`)
  }
  secret('NUXT_SESSION_PASSWORD (seals the Private Area\'s member sessions, e.g. `openssl rand -base64 32`)', config.session?.password)
  secret('NUXT_SITE_API_KEY (the CMS\'s SITE_API_KEY, sent with the Private Area\'s calls to the CMS)', config.siteApiKey)
  return problems
}
