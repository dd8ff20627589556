export default [
  'strapi::logger',
  'strapi::errors',
  'strapi::security',
  'strapi::cors',
  'strapi::poweredBy',
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
