import type { CmsInstance } from './harness'
/**
 * The OpenAPI reference (docs/openapi.json, scripts/openapi.mjs) against the real API: the document
 * is valid OpenAPI 3.1 (@apidevtools/swagger-parser), and every documented path answers as
 * documented: the real answers, anonymous and with an API token, validate against the document's
 * 200 schemas (Ajv, JSON Schema 2020-12). Whether the file is what the schemas give is checked by
 * `node scripts/openapi.mjs --check` in `pnpm test`.
 */
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import SwaggerParser from '@apidevtools/swagger-parser'
import addFormats from 'ajv-formats'
import Ajv2020 from 'ajv/dist/2020'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cmsDir, startCms } from './harness'

const document = JSON.parse(readFileSync(join(cmsDir, '..', 'docs/openapi.json'), 'utf8'))

let cms: CmsInstance
let token: string

beforeAll(async () => {
  cms = await startCms()
  token = (await cms.strapi.service('admin::api-token').create({
    name: `openapi-${Date.now()}`,
    description: 'contract test',
    type: 'read-only',
    lifespan: null,
  }) as { accessKey: string }).accessKey
})

afterAll(async () => {
  await cms?.stop()
})

function validator() {
  const ajv = new Ajv2020({ strict: false, allErrors: true })
  addFormats(ajv)
  ajv.addSchema({ $id: 'openapi', components: document.components }, 'openapi')
  return (schema: object) => ajv.compile({
    ...JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"openapi#/components/')),
    $schema: undefined,
  })
}

describe('the OpenAPI reference', () => {
  it('is a valid OpenAPI 3.1 document that documents only reads of public content', async () => {
    const parsed = await SwaggerParser.validate(structuredClone(document)) as { openapi: string, paths: Record<string, Record<string, unknown>> }
    expect(parsed.openapi).toMatch(/^3\.1\./)
    const paths = Object.keys(parsed.paths)
    expect(paths).toContain('/news-articles')
    expect(paths).toContain('/publications/{id}')
    expect(paths).toContain('/homepage')
    for (const [path, operations] of Object.entries(parsed.paths))
      expect(Object.keys(operations), path).toEqual(['get'])
    // members-only types, members' endpoints, users and plugins are not part of it
    for (const hidden of [
      '/member-documents',
      '/member-auth/login',
      '/subscriptions/subscribe',
      '/users',
      '/upload/files',
      '/auth/local',
    ])
      expect(paths).not.toContain(hidden)
  })

  it('describes what every documented path really answers, anonymously and with an API token', async () => {
    const compile = validator()
    const checked: string[] = []
    for (const [path, { get }] of Object.entries(document.paths as Record<string, { get: { responses: Record<string, { content: Record<string, { schema: object }> }> } }>)) {
      const validate = compile(get.responses['200']!.content['application/json']!.schema)
      let url = path
      if (path.endsWith('/{id}')) {
        const list = await (await fetch(`${cms.url}/api${path.slice(0, -'/{id}'.length)}`)).json() as { data: Array<{ documentId: string }> }
        expect(list.data.length, `${path}: the seed has entries`).toBeGreaterThan(0)
        url = path.replace('{id}', list.data[0]!.documentId)
      }
      for (const headers of [
        {},
        { authorization: `Bearer ${token}` },
      ]) {
        const response = await fetch(`${cms.url}/api${url}`, { headers })
        expect(response.status, `${url} ${JSON.stringify(headers)}`).toBe(200)
        const body = await response.json()
        const valid = validate(body)
        expect(valid, `${url}: ${JSON.stringify(validate.errors?.slice(0, 3))}`).toBe(true)
      }
      checked.push(path)
    }
    expect(checked.length).toBe(Object.keys(document.paths).length)
  })

  it('fails a real answer that the document does not describe (the check can fail)', () => {
    const compile = validator()
    const validate = compile(document.paths['/news-articles'].get.responses['200'].content['application/json'].schema)
    expect(validate({
      data: [
        {
          documentId: 'x',
          id: 1,
          title: 'T',
          slug: 's',
          date: '2026-01-01',
          visibility: 'secret',
          publishedAt: 'x',
        },
      ],
      meta: {
        pagination: { page: 1, pageSize: 25 },
      },
    })).toBe(false)
    expect(validate({
      data: [],
      meta: {
        pagination: { page: 1, pageSize: 25 },
      },
      extra: true,
    })).toBe(false)
  })
})

describe('the typed client\'s example', () => {
  it('runs against the API and prints the newest news and the roadmap editions', async () => {
    const sharedDir = join(cmsDir, '..', 'shared')
    const jiti = join(dirname(createRequire(join(sharedDir, 'package.json')).resolve('jiti/package.json')), 'lib/jiti-cli.mjs')
    // not spawnSync: the CMS answering it runs in this process
    const child = spawn(process.execPath, [jiti, 'examples/latest-news.ts'], {
      cwd: sharedDir,
      env: { ...process.env, ISECG_CMS_URL: cms.url },
    })
    const run = { stdout: '', stderr: '', status: null as number | null }
    child.stdout.on('data', (chunk) => {
      run.stdout += chunk
    })
    child.stderr.on('data', (chunk) => {
      run.stderr += chunk
    })
    run.status = await new Promise(resolve => child.on('exit', resolve))
    expect(run.status, run.stderr).toBe(0)
    const newest = await (await fetch(`${cms.url}/api/news-articles?sort=date:desc&fields[0]=title`)).json() as { data: Array<{ title: string }> }
    expect(run.stdout).toContain('The 5 newest of')
    expect(run.stdout).toContain(newest.data[0]!.title)
    expect(run.stdout).toMatch(/Global Exploration Roadmap editions: [1-9]/)
  })
})
