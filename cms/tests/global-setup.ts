// Compiles the CMS (TypeScript → cms/dist) once before the CMS, web and e2e test projects run.
import { createRequire } from 'node:module'
import { cmsDir } from './harness'

export default async function setup() {
  const require = createRequire(import.meta.url)
  const { compileStrapi } = require('@strapi/strapi')
  await compileStrapi({ appDir: cmsDir, ignoreDiagnostics: false })
}
