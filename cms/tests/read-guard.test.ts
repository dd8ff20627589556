import type { CmsInstance } from './harness'
import type { HiddenContent } from './support/hidden-content'
/**
 * The public read path, tested from the schemas: for every content type, every relation, media
 * field and component reachable from it (two levels deep), the queries below are generated and sent
 * anonymously against a real CMS holding hidden content (tests/support/hidden-content.ts). A new
 * field or content type gets the same cases without a new test.
 *
 * Each query must (1) never answer 5xx, (2) never contain a hidden value, and (3) answer exactly the
 * same before and after the hidden content is removed, so that no count, order, presence or absence
 * tells an anonymous caller that hidden entries exist. Members and API tokens get the same queries
 * and must never see a draft.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CONTENT_API_POLICY } from '../src/content-api/policy'
import { getJson, startCms } from './harness'
import { addHiddenContent } from './support/hidden-content'
import { createMember } from './support/members'

interface Attribute { type: string, target?: string, component?: string, components?: string[], private?: boolean }
interface Model { uid: string, kind?: string, info: { singularName: string, pluralName: string }, attributes: Record<string, Attribute> }

const NESTING = new Set([
  'relation',
  'media',
  'component',
  'dynamiczone',
])
const UPLOAD_RELATIONS = [
  'related',
  'folder',
  'createdBy',
  'updatedBy',
]

let cms: CmsInstance
let hidden: HiddenContent
let models: Model[]

const model = (uid: string) => models.find(m => m.uid === uid) ?? (cms.strapi.getModel(uid as never) as unknown as Model)
const nesting = (m: Model) => Object.entries(m.attributes).filter(([name, attribute]) => NESTING.has(attribute.type) && !['createdBy', 'updatedBy', 'localizations'].includes(name))
const scalarProbe = (m: Model) => ['slug', 'title', 'name', 'label'].find(name => m.attributes[name]) ?? 'id'

/** Every query of the matrix, for one content type: [path, query]. */
function queriesFor(m: Model): string[] {
  const base = m.kind === 'singleType'
    ? `/api/${m.info.singularName}`
    : `/api/${m.info.pluralName}`
  const list = m.kind === 'singleType'
    ? base
    : `${base}?pagination[pageSize]=100`
  const q = (query: string) => (list.includes('?')
    ? `${list}&${query}`
    : `${list}?${query}`)
  const out = [
    list,
    q('populate=*'),
    q('populate[0]=*'),
    q('status=draft'),
    q('status=draft&populate=*'),
  ]
  for (const [name, attribute] of nesting(m)) {
    out.push(q(`populate[${name}]=true`), q(`populate=${name}`), q(`populate[0]=${name}`), q(`populate[${name}][populate]=*`), q(`sort=${name}.id:asc`), q(`sort[0][${name}][id]=asc`))
    if (attribute.type === 'media') {
      for (const relation of UPLOAD_RELATIONS) {
        out.push(q(`populate[${name}][populate]=${relation}`), q(`populate[${name}][populate][${relation}]=true`), q(`populate[${name}][populate][0]=${relation}`), q(`populate=${name}.${relation}`), q(`populate[${name}][fields][0]=${relation}`))
        out.push(q(`filters[${name}][${relation}][id][$notNull]=true`))
      }
      out.push(q(`populate[${name}][populate][related][on][api::news-article.news-article][fields][0]=title`), q(`filters[${name}][id][$notNull]=true`), q(`filters[$not][${name}][id][$null]=true`))
    }
    if (attribute.type === 'relation' && attribute.target) {
      const target = model(attribute.target)
      const probe = scalarProbe(target)
      out.push(
        q(`filters[${name}][id][$notNull]=true`),
        q(`filters[${name}][id][$null]=true`),
        q(`filters[${name}][$null]=true`),
        q(`filters[${name}][$notNull]=true`),
        q(`filters[$not][${name}][id][$null]=true`),
        q(`filters[$not][${name}][id][$notNull]=true`),
        q(`filters[$not][$not][${name}][id][$notNull]=true`),
        q(`filters[$or][0][${name}][id][$notNull]=true&filters[$or][1][id][$eq]=0`),
        q(`filters[$not][$or][0][${name}][id][$notNull]=true&filters[$not][$or][1][id][$eq]=0`),
        q(`filters[${name}][${probe}][$containsi]=zzsecret`),
        q(`filters[${name}][${probe}][$notContainsi]=zzsecret`),
        q(`filters[${name}][$not][${probe}][$containsi]=zzsecret`),
        q(`filters[$not][${name}][${probe}][$containsi]=zzsecret`),
        // key order: a relation condition before the caller's own $and
        q(`filters[${name}][id][$notNull]=true&filters[$and][0][id][$notNull]=true`),
        q(`filters[${name}][id][$notNull]=true&filters[$or][0][id][$notNull]=true`),
        q(`populate[${name}][filters][${probe}][$containsi]=zzsecret`),
        q(`populate[${name}][filters][$not][${probe}][$eq]=nothing`),
        q(`populate[${name}][sort]=id:asc&populate[${name}][fields][0]=${probe}`),
        q(`populate[${name}][count]=true`),
        q(`populate[${name}][status]=draft`),
      )
      if (target.attributes.visibility) {
        out.push(q(`filters[${name}][visibility][$eq]=members`), q(`filters[$not][${name}][visibility][$eq]=members`), q(`filters[$not][${name}][visibility][$eq]=public`), q(`populate[${name}][filters][visibility][$eq]=members`))
      }
      for (const [inner, innerAttribute] of nesting(target)) {
        out.push(q(`populate[${name}][populate][${inner}]=true`), q(`populate=${name}.${inner}`))
        if (innerAttribute.type === 'media')
          out.push(q(`populate[${name}][populate][${inner}][populate]=related`), q(`populate=${name}.${inner}.related`))
        if (innerAttribute.type === 'relation') {
          out.push(q(`filters[${name}][${inner}][id][$notNull]=true`), q(`filters[${name}][$not][${inner}][id][$null]=true`), q(`populate[${name}][populate][${inner}][populate]=*`))
        }
      }
    }
    if (attribute.type === 'component' && attribute.component) {
      for (const [inner] of nesting(model(attribute.component))) out.push(q(`populate[${name}][populate][${inner}]=true`))
    }
  }
  return out
}

interface Answer { status: number, text: string }
function headersFor(token?: string) {
  return token
    ? { authorization: `Bearer ${token}` }
    : undefined
}

async function ask(path: string, token?: string): Promise<Answer> {
  const response = await fetch(`${cms.url}${path}`, {
    headers: headersFor(token),
  })
  return { status: response.status, text: await response.text() }
}

let matrix: string[]
let memberJwt: string
const before = new Map<string, Answer>()
const asMember = new Map<string, Answer>()
const asToken = new Map<string, Answer>()
const after = new Map<string, Answer>()

beforeAll(async () => {
  cms = await startCms()
  hidden = await addHiddenContent(cms.strapi)
  models = Object.values(cms.strapi.contentTypes as unknown as Record<string, Model>).filter(m => m.uid.startsWith('api::'))
  matrix = [
    ...new Set(models.flatMap(queriesFor)),
  ]

  const { jwt } = await createMember(cms.strapi, { email: 'guard-member@esa.example' })
  memberJwt = jwt
  const token = await cms.strapi.service('admin::api-token').create({
    name: 'guard agency',
    description: 'tests',
    type: 'read-only',
    lifespan: null,
  })

  for (const path of matrix) {
    before.set(path, await ask(path))
    asMember.set(path, await ask(path, jwt))
    asToken.set(path, await ask(path, token.accessKey))
  }
  await hidden.remove()
  for (const path of matrix) after.set(path, await ask(path))
}, 300_000)

afterAll(async () => {
  await cms?.stop()
})

describe('schema-generated read matrix', () => {
  it('covers every content type and every relation, media field and component', () => {
    expect(models.length).toBeGreaterThanOrEqual(8)
    for (const m of models) {
      for (const [name] of nesting(m)) expect(matrix.some(path => path.includes(`[${name}]`)), `${m.uid}.${name}`).toBe(true)
    }
    expect(matrix.length).toBeGreaterThan(500)
  })

  it('answers every query without a server error', () => {
    const failures = [
      ...before,
      ...asMember,
      ...asToken,
      ...after,
    ].filter(([, answer]) => answer.status >= 500).map(([path, answer]) => `${answer.status} ${path}`)
    expect(failures).toEqual([])
  })

  it('never gives an anonymous caller a members-only or draft value', () => {
    const leaks = [...before].filter(([, answer]) => hidden.secrets.some(secret => answer.text.includes(secret))).map(([path]) => path)
    expect(leaks).toEqual([])
  })

  it('never returns a private field (the schedule, mail settings, tokens) to anyone outside the admin', () => {
    const names = [
      ...new Set(models.flatMap(m => Object.entries(m.attributes).filter(([, attribute]) => attribute.private).map(([name]) => name))),
    ]
    expect(names).toEqual(expect.arrayContaining(['publishAt', 'unpublishAt']))
    const leaks = [
      ...before,
      ...asMember,
      ...asToken,
    ].filter(([, answer]) => names.some(name => answer.text.includes(`"${name}":`))).map(([path]) => path)
    expect(leaks).toEqual([])
  })

  it('gives an anonymous caller nothing of member documents, in any read form', () => {
    const reads = [...before].filter(([path]) => path.startsWith('/api/member-documents'))
    expect(reads.length).toBeGreaterThan(50)
    const answered = reads.filter(([, answer]) => ![400, 403, 404].includes(answer.status) || /"data":\s*[[{]/.test(answer.text)).map(([path, answer]) => `${answer.status} ${path}`)
    expect(answered).toEqual([])
  })

  it('answers anonymous callers the same with and without hidden content (no count, order or existence oracle)', () => {
    const differences = matrix.filter((path) => {
      const a = before.get(path)!
      const b = after.get(path)!
      return a.status !== b.status || a.text !== b.text
    })
    expect(differences).toEqual([])
  })

  it('never gives a signed-in member or an API token a draft', () => {
    const leaks = [
      ...asMember,
      ...asToken,
    ].filter(([, answer]) => hidden.draftSecrets.some(secret => answer.text.includes(secret))).map(([path]) => path)
    expect(leaks).toEqual([])
  })

  it('still shows members-only entries to members and tokens (the guard is not simply closed)', () => {
    const membersList = asMember.get('/api/news-articles?pagination[pageSize]=100')!
    const tokenList = asToken.get('/api/publications?pagination[pageSize]=100')!
    expect(membersList.text).toContain('zzsecret members news')
    expect(tokenList.text).toContain('zzsecret members publication')
    for (const answers of [asMember, asToken]) {
      const documents = answers.get('/api/member-documents?pagination[pageSize]=100')!
      expect(documents.status).toBe(200)
      expect(documents.text).toContain('zzsecret member document')
    }
  })
})

describe('allow-list', () => {
  it('has a policy for every content type and component the API serves', () => {
    const components = Object.keys(cms.strapi.components)
    for (const uid of [
      ...models.map(m => m.uid),
      ...components,
    ]) expect(CONTENT_API_POLICY[uid], uid).toBeDefined()
    for (const [uid, policy] of Object.entries(CONTENT_API_POLICY)) {
      const attributes = model(uid)?.attributes ?? (cms.strapi.components as unknown as Record<string, Model>)[uid]?.attributes
      expect(attributes, uid).toBeDefined()
      for (const name of [
        ...policy.populate,
        ...policy.filterThrough,
      ]) expect(NESTING.has(attributes![name]?.type ?? ''), `${uid}.${name}`).toBe(true)
    }
  })

  it('populates every listed attribute, for its own fields, anonymously (members-only types: as a member)', async () => {
    for (const m of models) {
      const base = m.kind === 'singleType'
        ? `/api/${m.info.singularName}`
        : `/api/${m.info.pluralName}`
      const headers = CONTENT_API_POLICY[m.uid]!.membersOnly
        ? { authorization: `Bearer ${memberJwt}` }
        : undefined
      for (const name of CONTENT_API_POLICY[m.uid]!.populate) {
        const { status } = await getJson(cms, `${base}?populate[${name}]=true`, { headers })
        expect(status, `${base} populate ${name}`).toBe(200)
      }
    }
  })

  it.each([
    ['media relations', '/api/news-articles?populate[cover][populate]=related'],
    ['media relations, string form', '/api/news-articles?populate=cover.related'],
    ['media relations of a populated entry', '/api/topics?populate[publications][populate][file][populate]=related'],
    ['media relations, dynamic-zone form', '/api/publications?populate[file][populate][related][on][api::news-article.news-article]=true'],
    ['negation over a relation', '/api/topics?filters[$not][publications][id][$null]=true'],
    ['negation over a relation, nested', '/api/publications?filters[topics][$not][newsArticles][id][$null]=true'],
    ['a relation no one needs to filter through', '/api/news-articles?filters[cover][related][id][$notNull]=true'],
    ['admin relations', '/api/news-articles?populate[createdBy]=true'],
    ['too deep a populate', '/api/topics?populate[publications][populate][supersedes][populate][supersedes][populate][topics]=true'],
    ['a relation count', '/api/topics?populate[publications][count]=true'],
    ['a sort by related entries', '/api/topics?sort=publications.title:asc'],
    ['a negative page', '/api/news-articles?pagination[page]=-1'],
    ['a zero page', '/api/news-articles?pagination[page]=0'],
    ['a fractional page', '/api/news-articles?pagination[page]=1.5'],
    ['a negative start', '/api/news-articles?pagination[start]=-3'],
  ])('answers 400 to %s', async (_, path) => {
    const { status, body } = await getJson(cms, path)
    expect(status, JSON.stringify(body)).toBe(400)
    expect(body.error.message).toBeTruthy()
  })

  it.each([
    // what the site and the README ask for
    '/api/publications?filters[kind][$eq]=roadmap&sort=publicationDate:desc&populate[supersedes][fields][0]=slug&populate[file][fields][0]=url',
    '/api/publications?filters[topics][slug][$eq]=lunar-volatiles&populate[topics][fields][0]=slug',
    '/api/topics?populate[newsArticles][fields][0]=slug&populate[newsArticles][sort][0]=date:desc&populate[newsArticles][populate][cover][fields][0]=url',
    '/api/homepage?populate[featuredPublications][populate][cover][fields][0]=url&populate[featuredPublications][populate][topics][fields][0]=slug',
    '/api/site-setting?populate[navigation]=true&populate[footerLinks]=true&populate[contact]=true&populate[brochure][fields][0]=url',
    '/api/about-page?populate[principles]=true',
    '/api/member-agencies?populate[logo][fields][0]=url&sort[0]=sortOrder:asc',
    '/api/news-articles?pagination[page]=2&pagination[pageSize]=3',
  ])('answers 200 to a documented query: %s', async (path) => {
    const { status, body } = await getJson(cms, path)
    expect(status, JSON.stringify(body)).toBe(200)
  })

  it('finds public entries through every relation a filter may follow (anonymous, from the matrix)', () => {
    const empty: string[] = []
    // types anonymous callers may read at all (members-only types answer 403, checked above)
    for (const m of models.filter(candidate => candidate.kind !== 'singleType' && !CONTENT_API_POLICY[candidate.uid]!.membersOnly)) {
      for (const name of CONTENT_API_POLICY[m.uid]!.filterThrough) {
        // every filter-through relation links public entries in the seed
        const path = `/api/${m.info.pluralName}?pagination[pageSize]=100&filters[${name}][id][$notNull]=true`
        const answer = after.get(path)
        expect(answer?.status, path).toBe(200)
        if ((JSON.parse(answer!.text) as { data: unknown[] }).data.length === 0)
          empty.push(path)
      }
    }
    expect(empty).toEqual([])
  })

  it('finds a public entry through a relation filter (the guard does not simply empty relations)', async () => {
    const { body } = await getJson(cms, '/api/topics?filters[publications][slug][$eq]=global-exploration-roadmap-2024&fields[0]=slug')
    expect(body.data.map((t: { slug: string }) => t.slug)).toContain('lunar-volatiles')
  })
})
