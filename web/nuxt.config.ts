import { fileURLToPath } from 'node:url'

// ISECG public website. Content comes from the Strapi CMS through Nitro server routes
// (server/api/*), never from the browser; legal pages live in content/ (@nuxt/content).
const pageCache = { swr: 60 } as const
// The Private Area (docs/private-area.md): never cached anywhere, server-rendered without client
// scripts (its forms are plain HTML), kept out of search engines.
const privateArea = {
  cache: false,
  noScripts: true,
  headers: { 'cache-control': 'private, no-store', 'x-robots-tag': 'noindex' },
} as const
// News subscriptions (docs/notifications.md): one visitor's pages, with tokens in their URLs: never
// cached anywhere, no Referer sent from them to other sites (same-origin, not no-referrer: that would make browsers send Origin: null on the forms' POSTs), kept out of search engines, no client scripts.
const subscriptions = {
  cache: false,
  noScripts: true,
  headers: { 'cache-control': 'no-store', 'referrer-policy': 'same-origin', 'x-robots-tag': 'noindex' },
} as const
// The admin's preview enters and leaves here (server/api/preview): one editor's answers, a secret
// in the URL (not sent on as a Referer), kept out of search engines.
const preview = {
  cache: false,
  headers: { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', 'x-robots-tag': 'noindex' },
} as const
const noStore = {
  cache: false,
  headers: { 'cache-control': 'private, no-store' },
} as const

export default defineNuxtConfig({
  compatibilityDate: '2025-07-15',
  modules: ['@nuxt/content', 'nuxt-auth-utils'],
  devtools: { enabled: false },
  telemetry: false,

  css: ['~/assets/css/main.css'],

  // components/<domain>/<Domain>Thing.vue are used by their file name (<NewsCard>, <MemberBadge>).
  components: [
    { path: '~/components', pathPrefix: false },
  ],

  app: {
    head: {
      htmlAttrs: { lang: 'en' },
      titleTemplate: '%s · ISECG',
      meta: [
        { name: 'viewport', content: 'width=device-width, initial-scale=1' },
        { name: 'theme-color', content: '#0b1f3a' },
      ],
      link: [
        { rel: 'icon', type: 'image/svg+xml', href: '/favicon.svg' },
        {
          rel: 'alternate',
          type: 'application/rss+xml',
          title: 'ISECG news',
          href: '/feed.xml',
        },
        {
          rel: 'alternate',
          type: 'application/atom+xml',
          title: 'ISECG news (Atom)',
          href: '/feed.atom',
        },
        {
          rel: 'alternate',
          type: 'application/feed+json',
          title: 'ISECG news (JSON Feed)',
          href: '/feed.json',
        },
      ],
    },
  },

  runtimeConfig: {
    // Defaults are empty and filled from NUXT_* variables at run time (web/.env.example); a
    // production server refuses to start without the two URLs (server/plugins/00.config-check.ts).
    // Server only. Strapi origin (no /api), e.g. http://localhost:1337. NUXT_CMS_URL.
    cmsUrl: '',
    // Server only. The Content API's public base URL shown on /developers and in
    // /developers/openapi.json (default: NUXT_CMS_URL + /api). NUXT_API_PUBLIC_URL.
    apiPublicUrl: '',
    // Server only. Most pages kept in the page cache (LRU): pages of a plain path,
    // NUXT_PAGE_CACHE_MAX_ENTRIES; pages of a path with a query (searches, list pages),
    // NUXT_PAGE_CACHE_MAX_VARIANTS (server/utils/page-cache-driver.ts).
    pageCacheMaxEntries: 2000,
    pageCacheMaxVariants: 200,
    // Server only. The CMS read cache (server/utils/cms-cache.ts): seconds an anonymous CMS answer is
    // reused (0: off), NUXT_CMS_CACHE_TTL; seconds it may still be served while the CMS is down or
    // failing, NUXT_CMS_CACHE_MAX_STALE; most answers kept, NUXT_CMS_CACHE_MAX_ENTRIES.
    cmsCacheTtl: 15,
    cmsCacheMaxStale: 3600,
    cmsCacheMaxEntries: 1000,
    // Server only. Shared secret sent as X-Site-Key on the site's calls to the CMS's member endpoints
    // (/api/member-auth, /api/member-files); the CMS's SITE_API_KEY. Required in production. NUXT_SITE_API_KEY.
    siteApiKey: '',
    // Server only. The CMS's SITE_WEBHOOK_SECRET (`whsec_…`, Standard Webhooks): checks the signature
    // of the CMS's content webhook, POST /api/cache/webhook (empty: the endpoint answers 404).
    // NUXT_CONTENT_WEBHOOK_SECRET.
    contentWebhookSecret: '',
    // Server only. Preview of drafts from the CMS admin (server/utils/preview.ts); preview is off
    // unless both are set (>= 32 characters each). The CMS's PREVIEW_SECRET, in the URL the admin's
    // preview opens (/api/preview?secret=...): NUXT_PREVIEW_SECRET. The CMS's PREVIEW_TOKEN, sent as
    // X-Preview-Token to read drafts: NUXT_CMS_PREVIEW_TOKEN. The admin's origin, the only one that
    // may frame a preview (default: that of NUXT_CMS_URL): NUXT_CMS_ADMIN_ORIGIN.
    previewSecret: '',
    cmsPreviewToken: '',
    cmsAdminOrigin: '',
    // Server only. Reverse proxies in front of the site that append to X-Forwarded-For: 0 takes the
    // member's address from the connection, 1 from the last X-Forwarded-For entry, and so on. NUXT_PROXY_HOPS.
    proxyHops: 0,
    // The member session (nuxt-auth-utils): a sealed, httpOnly cookie. The password is
    // NUXT_SESSION_PASSWORD (>= 32 characters, required in production). Secure is decided per request
    // from NUXT_PUBLIC_SITE_URL (server/utils/member-session.ts); the session is never read from a header.
    session: {
      name: 'isecg-session',
      password: '',
      maxAge: 60 * 60 * 12,
      sessionHeader: false,
      cookie: { sameSite: 'lax', httpOnly: true, secure: true },
    },
    // No CMS token on purpose: anonymous reads are what keeps members-only entries off the public
    // site (see server/utils/cms.ts).
    public: {
      // Public origin of this site, used for canonical URLs, Open Graph, sitemap and feed. NUXT_PUBLIC_SITE_URL.
      siteUrl: '',
      // Optional origin for media files (CDN or the CMS itself). Empty: media are proxied under /uploads. NUXT_PUBLIC_MEDIA_URL.
      mediaUrl: '',
    },
  },

  // Only the server-side helpers of nuxt-auth-utils: the app never loads the session in the browser.
  auth: {
    loadStrategy: 'none',
  },

  content: {
    experimental: { sqliteConnector: 'native' },
  },

  // Pages and data are cached in Nitro: a cached page answers without calling the CMS, and a stale
  // one keeps answering (while it revalidates in the background) when the CMS is down.
  routeRules: {
    // Home has nothing to run in the browser (its cards are static, the mobile menu opens without
    // JavaScript as #site-nav's :target): no client scripts, as News and Publications.
    '/': { ...pageCache, noScripts: true },
    '/about': pageCache,
    '/news': { ...pageCache, noScripts: true },
    '/news/**': pageCache,
    '/publications': { ...pageCache, noScripts: true },
    '/publications/**': pageCache,
    '/members': pageCache,
    '/faq': pageCache,
    // for agencies' developers: a plain page, and the OpenAPI reference (server/routes/developers)
    '/developers': { ...pageCache, noScripts: true },
    '/developers/openapi.json': pageCache,
    '/advanced-technology': pageCache,
    '/science-perspectives': pageCache,
    '/lunar-volatiles': pageCache,
    '/legal': pageCache,
    '/privacy': pageCache,
    '/accessibility': pageCache,
    // Site settings (navigation, footer) change rarely and are needed by every page.
    '/api/site': pageCache,
    // Feeds (server/utils/feeds.ts): news, publications (under /publications/**) and per topic.
    '/feed.xml': pageCache,
    '/feed.atom': pageCache,
    '/feed.json': pageCache,
    '/topics/**': pageCache,
    '/sitemap.xml': pageCache,
    '/private-area': privateArea,
    '/private-area/**': privateArea,
    '/api/private-area': noStore,
    '/api/private-area/**': noStore,
    '/api/_auth/**': noStore,
    '/api/cache/**': noStore,
    '/api/preview': preview,
    '/api/preview/**': preview,
    '/subscribe': subscriptions,
    '/subscribe/**': subscriptions,
    '/api/subscriptions/**': {
      ...noStore,
      headers: { ...noStore.headers, 'referrer-policy': 'same-origin' },
    },
  },

  // Inline all CSS (global and components) into the HTML: no render-blocking stylesheet requests.
  features: {
    inlineStyles: true,
  },

  experimental: {
    // Prefetch a linked page's code when the visitor shows intent (hover, focus), not for every
    // link that scrolls into view: lists of cards would otherwise fetch and parse many chunks at load.
    defaults: {
      nuxtLink: {
        prefetchOn: { visibility: false, interaction: true },
      },
    },
    // Keep the payload inline in the (cached) HTML. With extraction, a cached page would hydrate
    // from a separately rendered /_payload.json that may be newer (mismatch) and needs the CMS.
    payloadExtraction: false,
  },

  hooks: {
    // No <link rel="prefetch" as="script"> hints in the HTML. `as` belongs to preload and
    // modulepreload only (HTML standard; the Nu HTML Checker rejects it on prefetch), and the chunks
    // the build manifest marks for prefetch are ones a page deliberately does not load: shared code
    // of hydrate-never components, the content module's client database (SQLite WASM) on the legal
    // pages, layout chunks on error pages. Code for a next page is still prefetched by <NuxtLink>
    // when the visitor shows intent (experimental.defaults above). Preload hints are unchanged.
    'build:manifest': function (manifest) {
      for (const resource of Object.values(manifest)) resource.prefetch = false
    },
    // JSON errors get the site's security headers (server/error.ts). It runs after Nuxt's own error
    // handler, which renders HTML errors and passes JSON ones on; Nitro's default handler stays last.
    'nitro:config': function (config) {
      config.errorHandler = [
        config.errorHandler ?? [],
        fileURLToPath(new URL('./server/error.ts', import.meta.url)),
      ].flat()
    },
  },

  nitro: {
    experimental: {
      // useEvent() in the page cache driver (server/plugins/page-cache.ts), which must know whether
      // the request it reads or writes for carries a member session.
      asyncContext: true,
    },
    // gzip and brotli copies of /_nuxt assets, served to clients that accept them
    compressPublicAssets: true,
    typescript: {
      tsConfig: {
        include: ['../../cms/types/generated/*.d.ts'],
      },
    },
  },

  typescript: {
    strict: true,
    // The CMS's generated schema types, so that @isecg/shared's content types resolve here too.
    tsConfig: {
      include: ['../../cms/types/generated/*.d.ts'],
    },
    sharedTsConfig: {
      include: ['../../cms/types/generated/*.d.ts'],
    },
  },
})
