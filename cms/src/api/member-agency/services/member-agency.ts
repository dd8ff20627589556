import { factories } from '@strapi/strapi'

export default factories.createCoreService('api::member-agency.member-agency')
