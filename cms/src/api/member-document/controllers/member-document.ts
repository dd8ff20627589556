import { factories } from '@strapi/strapi'

export default factories.createCoreController('api::member-document.member-document')
