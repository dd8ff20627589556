export default [
  // one line per request outside production, only slow or failed requests in production
  // (REQUEST_LOG, src/middlewares/request-log.ts); replaces strapi::logger
  'global::request-log',
  'strapi::errors',
  'strapi::security',
  'strapi::cors',
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
