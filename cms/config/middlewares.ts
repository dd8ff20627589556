export default [
  // one line per request outside production, only slow or failed requests in production
  // (REQUEST_LOG, src/middlewares/request-log.ts); replaces strapi::logger
  'global::request-log',
  'strapi::errors',
  'strapi::security',
  // Browsers on any origin may read the public REST API, without credentials (no cookies: the API
  // authenticates with Authorization headers), and see the caching and rate-limit headers
  {
    name: 'strapi::cors',
    config: {
      origin: '*',
      credentials: false,
      methods: ['GET', 'HEAD', 'OPTIONS'],
      headers: [
        'Accept',
        'Authorization',
        'Content-Type',
        'If-None-Match',
        'Origin',
      ],
      expose: [
        'ETag',
        'RateLimit-Limit',
        'RateLimit-Policy',
        'RateLimit-Remaining',
        'RateLimit-Reset',
        'Retry-After',
      ],
    },
  },
  'strapi::poweredBy',
  // /api/* for outside callers: per client and per token, counters shared through the database
  // (src/middlewares/api-rate-limit.ts)
  'global::api-rate-limit',
  // ETag and 304 on the REST API's answers (src/middlewares/conditional-get.ts)
  'global::conditional-get',
  // anonymous Content API reads answered from memory (src/middlewares/response-cache.ts)
  'global::response-cache',
  'strapi::query',
  'global::pagination-guard',
  // a member JWT whose session has ended answers 401 on every route (src/middlewares/member-session.ts)
  'global::member-session',
  'strapi::body',
  'strapi::session',
  'strapi::favicon',
  // /uploads serves public files only (src/middlewares/protected-uploads.ts)
  'global::protected-uploads',
  'strapi::public',
]
