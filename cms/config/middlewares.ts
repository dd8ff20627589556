export default [
  'strapi::logger',
  'strapi::errors',
  'strapi::security',
  'strapi::cors',
  'strapi::poweredBy',
  'strapi::query',
  'global::pagination-guard',
  'strapi::body',
  'strapi::session',
  'strapi::favicon',
  'strapi::public',
]
