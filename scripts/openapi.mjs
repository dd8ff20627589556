// The OpenAPI 3.1 reference of the public Content API (docs/openapi.json, served by the site at
// /developers/openapi.json), generated from the CMS's schemas by Strapi's `strapi openapi generate`
// and cut down to what outside callers may use:
//   - only GET of the public content types' routes (`/api/<plural>`, `/api/<plural>/{id}`,
//     `/api/<singular>`): the types cms/src/content-api/policy.ts does not mark members-only;
//     Strapi's document also lists writes, the admin's plugins and the members' endpoints;
//   - the answers as the API really sends them: `meta` (pagination on lists), fields the CMS leaves
//     empty as null, documentIds as Strapi's 24-character ids (not UUIDs), no timestamp of the
//     generation run (so that the file only changes when the schemas do);
//   - the API's own rules in the description: tokens, visibility, pagination caps, rate limits.
// Usage: node scripts/openapi.mjs           writes docs/openapi.json
//        node scripts/openapi.mjs --check   exits 1 when docs/openapi.json is not what the schemas give
// (runs under the workspace's Node 24, which loads policy.ts directly; `pnpm openapi`, `pnpm test`)
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const cmsDir = join(root, 'cms')
const target = join(root, 'docs/openapi.json')
const check = process.argv.includes('--check')

// policy.ts has no imports: Node 24 runs it as TypeScript (a .mts copy, so it loads as a module)
const policyCopy = join(mkdtempSync(join(tmpdir(), 'isecg-openapi-policy-')), 'policy.mts')
writeFileSync(policyCopy, readFileSync(join(cmsDir, 'src/content-api/policy.ts')))
const { policyOf } = await import(policyCopy)
rmSync(dirname(policyCopy), { recursive: true, force: true })

/** The public content types: their route names, from the schemas. */
function publicTypes() {
  const types = []
  const apiDir = join(cmsDir, 'src/api')
  for (const api of readdirSync(apiDir)) {
    let names
    try {
      names = readdirSync(join(apiDir, api, 'content-types'))
    }
    catch {
      continue
    }
    for (const name of names) {
      const schema = JSON.parse(readFileSync(join(apiDir, api, 'content-types', name, 'schema.json'), 'utf8'))
      const uid = `api::${api}.${name}`
      if (policyOf(uid).membersOnly)
        continue
      types.push({
        uid,
        kind: schema.kind,
        singular: schema.info.singularName,
        plural: schema.info.pluralName,
        displayName: schema.info.displayName,
      })
    }
  }
  return types.sort((a, b) => a.uid.localeCompare(b.uid))
}

function generate() {
  const dir = mkdtempSync(join(tmpdir(), 'isecg-openapi-'))
  const out = join(dir, 'openapi.json')
  const secret = () => randomBytes(18).toString('base64')
  const result = spawnSync('pnpm', [
    'exec',
    'strapi',
    'openapi',
    'generate',
    '-o',
    out,
  ], {
    cwd: cmsDir,
    encoding: 'utf8',
    env: {
      ...process.env,
      APP_KEYS: `${secret()},${secret()}`,
      API_TOKEN_SALT: secret(),
      ADMIN_JWT_SECRET: secret(),
      TRANSFER_TOKEN_SALT: secret(),
      JWT_SECRET: secret(),
      ENCRYPTION_KEY: secret(),
      DATABASE_CLIENT: 'sqlite',
      DATABASE_FILENAME: join(dir, 'data.db'),
      STRAPI_TELEMETRY_DISABLED: 'true',
    },
  })
  try {
    if (result.status !== 0)
      throw new Error(`strapi openapi generate failed:\n${result.stdout}\n${result.stderr}`)
    return JSON.parse(readFileSync(out, 'utf8'))
  }
  finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/

/** The schema's nulls as sent: a property not required may be null. */
function nullable(schema) {
  if (schema.$ref || schema.anyOf || schema.oneOf) {
    return {
      anyOf: [
        schema,
        { type: 'null' },
      ],
    }
  }
  if (typeof schema.type === 'string') {
    return {
      ...schema,
      type: [schema.type, 'null'],
    }
  }
  return schema
}

/** Fixes what Strapi's generator gets wrong for this API, in place, recursively. */
function correct(schema) {
  if (!schema || typeof schema !== 'object')
    return schema
  if (Array.isArray(schema))
    return schema.map(correct)
  const out = {}
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'default' && typeof value === 'string' && ISO_TIME.test(value))
      continue // the time of the generation run
    out[key] = correct(value)
  }
  if (out.properties && typeof out.properties === 'object') {
    const required = new Set(out.required ?? [])
    for (const [name, property] of Object.entries(out.properties)) {
      let fixed = property
      if (name === 'documentId')
        fixed = { type: 'string', description: 'The document\'s id (24 characters, stable across versions)' }
      out.properties[name] = required.has(name)
        ? fixed
        : nullable(fixed)
    }
  }
  return out
}

const PAGINATION = {
  type: 'object',
  properties: {
    pagination: {
      type: 'object',
      properties: {
        page: { type: 'integer' },
        pageSize: { type: 'integer' },
        pageCount: { type: 'integer' },
        total: { type: 'integer' },
      },
      required: ['page', 'pageSize'],
    },
  },
}

/** Every `#/components/schemas/X` referenced, transitively. */
function referenced(node, schemas, seen = new Set()) {
  if (!node || typeof node !== 'object')
    return seen
  if (typeof node.$ref === 'string' && node.$ref.startsWith('#/components/schemas/')) {
    const name = node.$ref.slice('#/components/schemas/'.length)
    if (!seen.has(name)) {
      seen.add(name)
      referenced(schemas[name], schemas, seen)
    }
  }
  for (const value of Object.values(node)) referenced(value, schemas, seen)
  return seen
}

function sortKeys(value) {
  if (Array.isArray(value))
    return value.map(sortKeys)
  if (!value || typeof value !== 'object')
    return value
  return Object.fromEntries(Object.keys(value).sort().map(key => [
    key,
    sortKeys(value[key]),
  ]))
}

const DESCRIPTION = `The public Content API of the International Space Exploration Coordination Group's website:
news articles, publications, topics, member agencies, FAQ and the site's pages, read-only.

- **Access.** Anonymous requests receive public, published entries. An API token issued by the ISECG
  Secretariat (\`Authorization: Bearer <token>\`) also receives members-only entries.
- **Format.** Strapi 5: \`{ data, meta }\`; lists have \`meta.pagination\`. Ask for fields and relations
  explicitly (\`fields\`, \`populate\`); unknown fields, operators or populate keys answer 400.
- **Pagination.** 25 entries per page by default, at most 100 (\`pagination[pageSize]\`).
- **Caching.** Answers carry an \`ETag\`; send it back in \`If-None-Match\` to get \`304 Not Modified\`.
- **Rate limits.** 600 requests per minute per client address without a token, 6000 per token;
  beyond, \`429\` with \`Retry-After\`. Every answer has \`RateLimit-Limit\`, \`RateLimit-Remaining\`,
  \`RateLimit-Reset\` and \`RateLimit-Policy\`.
- **More.** Feeds, webhooks and a typed client: the site's /developers page.`

function publicDocument(full) {
  const types = publicTypes()
  const paths = {}
  for (const type of types) {
    const routes = type.kind === 'singleType'
      ? [`/${type.singular}`]
      : [`/${type.plural}`, `/${type.plural}/{id}`]
    for (const route of routes) {
      const get = full.paths[route]?.get
      if (!get)
        throw new Error(`strapi openapi generate gave no GET ${route} (${type.uid})`)
      const operation = correct(get)
      operation.tags = [type.displayName]
      // drafts are not served outside the admin: the parameters that ask for them do nothing here
      operation.parameters = (operation.parameters ?? []).filter(parameter => !['status', 'publicationFilter', 'hasPublishedVersion'].includes(parameter.name))
      const ok = operation.responses?.['200']?.content?.['application/json']?.schema
      if (ok?.properties) {
        ok.properties.meta = route.endsWith('{id}') || type.kind === 'singleType'
          ? { type: 'object' }
          : PAGINATION
        ok.required = [
          'data',
          ...(ok.properties.meta === PAGINATION
            ? ['meta']
            : []),
        ]
      }
      operation.security = [
        {},
        { apiToken: [] },
      ]
      paths[route] = { get: operation }
    }
  }
  const schemas = correct(full.components?.schemas ?? {})
  const used = referenced(paths, schemas)
  return sortKeys({
    openapi: full.openapi,
    info: {
      title: 'ISECG Content API',
      version: '1.0.0',
      description: DESCRIPTION,
      contact: { name: 'ISECG Secretariat' },
    },
    servers: [
      { url: 'http://localhost:1337/api', description: 'A local CMS (`pnpm dev`); in production, the CMS origin followed by /api' },
    ],
    tags: types.map(type => ({ name: type.displayName })),
    paths,
    components: {
      securitySchemes: {
        apiToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API token issued by the ISECG Secretariat (optional: without one, public entries only)',
        },
      },
      schemas: Object.fromEntries(Object.entries(schemas).filter(([name]) => used.has(name))),
    },
  })
}

const document = `${JSON.stringify(publicDocument(generate()), null, 2)}\n`
if (check) {
  let committed = ''
  try {
    committed = readFileSync(target, 'utf8')
  }
  catch { /* missing */ }
  if (committed !== document) {
    console.error('openapi: docs/openapi.json is not what the CMS schemas give: run `pnpm openapi` and commit it')
    process.exit(1)
  }
  console.log('openapi: docs/openapi.json matches the schemas')
}
else {
  writeFileSync(target, document)
  console.log(`openapi: wrote docs/openapi.json (${Object.keys(JSON.parse(document).paths).length} paths)`)
}
