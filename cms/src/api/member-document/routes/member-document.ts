import { factories } from '@strapi/strapi'

// read-only for the Content API: members (and API tokens) list and read published documents
export default factories.createCoreRouter('api::member-document.member-document', {
  only: ['find', 'findOne'],
})
