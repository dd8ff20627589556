import document from '../../../../docs/openapi.json'

/**
 * GET /developers/openapi.json: the OpenAPI 3.1 reference of the public Content API
 * (docs/openapi.json, generated from the CMS schemas by scripts/openapi.mjs), with this
 * installation's API URL as its server.
 */
export default defineEventHandler((event) => {
  const configured = useRuntimeConfig().apiPublicUrl
  const apiUrl = (configured || `${cmsOrigin(event)}/api`).replace(/\/+$/, '')
  setResponseHeader(event, 'content-type', 'application/json; charset=utf-8')
  setResponseHeader(event, 'access-control-allow-origin', '*')
  return {
    ...document,
    servers: [
      { url: apiUrl, description: 'The ISECG Content API' },
    ],
  }
})
