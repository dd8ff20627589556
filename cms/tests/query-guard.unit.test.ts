import type { Attribute, SchemaLookup } from '../src/content-api/query-guard'
/** Unit tests of the pure parts of the Content API guard, on a small hand-made schema. */
import { describe, expect, it } from 'vitest'
import { classifyCaller, isLiveMemberSession, isPreviewToken } from '../src/content-api/caller'
import { normalizePopulate } from '../src/content-api/populate'
import { checkSort, guardFilters, guardPopulate, guardReadParams, NOTHING, PUBLIC_ONLY } from '../src/content-api/query-guard'

const models: Record<string, Record<string, Attribute>> = {
  'api::topic.topic': {
    slug: { type: 'uid' },
    publications: { type: 'relation', target: 'api::publication.publication' },
    newsArticles: { type: 'relation', target: 'api::news-article.news-article' },
  },
  'api::publication.publication': {
    slug: { type: 'uid' },
    visibility: { type: 'enumeration' },
    file: { type: 'media' },
    topics: { type: 'relation', target: 'api::topic.topic' },
    supersedes: { type: 'relation', target: 'api::publication.publication' },
    createdBy: { type: 'relation', target: 'admin::user' },
  },
  'api::news-article.news-article': {
    slug: { type: 'uid' },
    visibility: { type: 'enumeration' },
  },
  'api::member-document.member-document': {
    slug: { type: 'uid' },
    file: { type: 'media' },
    topics: { type: 'relation', target: 'api::topic.topic' },
  },
}
const schema: SchemaLookup = {
  attributes: uid => models[uid],
  draftAndPublish: uid => uid.startsWith('api::'),
}
const anonymous = { publicOnly: true }
const member = { publicOnly: false }

describe('normalizePopulate', () => {
  it.each([
    ['*', '*'],
    [
      'a,b.c',
      {
        a: true,
        b: {
          populate: { c: true },
        },
      },
    ],
    [
      ['a', 'b.c', 'b.d'],
      {
        a: true,
        b: {
          populate: { c: true, d: true },
        },
      },
    ],
    [
      {
        a: {
          fields: ['x'],
        },
      },
      {
        a: {
          fields: ['x'],
        },
      },
    ],
    [undefined, undefined],
    ['false', undefined],
  ])('normalises %j', (input, expected) => {
    expect(normalizePopulate(input)).toEqual(expected)
  })
})

describe('guardFilters', () => {
  it('adds "public only" inside a relation condition that reaches a type with visibility', () => {
    expect(guardFilters(schema, 'api::topic.topic', {
      publications: {
        slug: { $eq: 'x' },
      },
    }, anonymous)).toEqual({
      publications: {
        $and: [
          {
            slug: { $eq: 'x' },
          },
          PUBLIC_ONLY,
        ],
      },
    })
    expect(guardFilters(schema, 'api::topic.topic', {
      publications: {
        slug: { $eq: 'x' },
      },
    }, member)).toEqual({
      publications: {
        slug: { $eq: 'x' },
      },
    })
  })

  it('puts several keys into $and of one-key objects, so no condition can overwrite another', () => {
    const result = guardFilters(schema, 'api::topic.topic', {
      publications: {
        slug: { $eq: 'x' },
      },
      $and: [
        {
          slug: { $eq: 'y' },
        },
      ],
    }, anonymous)
    expect(result).toEqual({
      $and: [
        {
          publications: {
            $and: [
              {
                slug: { $eq: 'x' },
              },
              PUBLIC_ONLY,
            ],
          },
        },
        {
          $and: [
            {
              slug: { $eq: 'y' },
            },
          ],
        },
      ],
    })
  })

  it('reads an operator written on the relation itself as a condition on its id', () => {
    expect(guardFilters(schema, 'api::topic.topic', {
      publications: { $null: true },
    }, anonymous)).toEqual({
      publications: {
        $and: [
          {
            id: { $null: true },
          },
          PUBLIC_ONLY,
        ],
      },
    })
    expect(guardFilters(schema, 'api::topic.topic', { publications: 3 }, anonymous)).toEqual({
      publications: {
        $and: [
          {
            id: { $eq: 3 },
          },
          PUBLIC_ONLY,
        ],
      },
    })
  })

  it.each([
    [
      {
        $not: {
          publications: {
            id: { $null: true },
          },
        },
      },
    ],
    [
      {
        $not: {
          $or: [
            {
              publications: {
                id: { $null: true },
              },
            },
          ],
        },
      },
    ],
    [
      {
        publications: {
          $not: {
            supersedes: {
              id: { $null: true },
            },
          },
        },
      },
    ],
  ])('refuses a relation under $not: %j', (filters) => {
    expect(() => guardFilters(schema, 'api::topic.topic', filters, anonymous)).toThrow(/\$not/)
  })

  it('allows $not over the fields of the entry itself and of a related entry', () => {
    expect(() => guardFilters(schema, 'api::topic.topic', {
      $not: {
        slug: { $eq: 'x' },
      },
      publications: {
        $not: {
          slug: { $eq: 'y' },
        },
      },
    }, anonymous)).not.toThrow()
  })

  it.each([
    [
      'api::publication.publication',
      {
        file: {
          id: { $notNull: true },
        },
      },
    ],
    [
      'api::publication.publication',
      {
        createdBy: {
          email: { $eq: 'x' },
        },
      },
    ],
    [
      'api::topic.topic',
      {
        publications: {
          file: {
            related: { id: 1 },
          },
        },
      },
    ],
  ])('refuses filters through relations the policy does not list (%s %j)', (uid, filters) => {
    expect(() => guardFilters(schema, uid, filters, anonymous)).toThrow(/not available/)
  })
})

describe('guardPopulate', () => {
  it('expands * to the listed attributes only', () => {
    expect(guardPopulate(schema, 'api::topic.topic', '*', anonymous)).toEqual({
      newsArticles: { filters: PUBLIC_ONLY },
      publications: { filters: PUBLIC_ONLY },
    })
  })

  it('keeps media as leaves with their own fields', () => {
    expect(guardPopulate(schema, 'api::publication.publication', {
      file: {
        fields: ['url'],
      },
    }, anonymous)).toEqual({
      file: {
        fields: ['url'],
      },
    })
    expect(() => guardPopulate(schema, 'api::publication.publication', {
      file: { populate: 'related' },
    }, anonymous)).toThrow(/not available/)
    expect(() => guardPopulate(schema, 'api::publication.publication', 'file.related', anonymous)).toThrow(/not available/)
  })

  it('refuses unlisted attributes, unknown options and too deep a populate', () => {
    expect(() => guardPopulate(schema, 'api::publication.publication', { createdBy: true }, anonymous)).toThrow(/cannot be populated/)
    expect(() => guardPopulate(schema, 'api::topic.topic', {
      publications: { count: true },
    }, anonymous)).toThrow(/not available/)
    expect(() => guardPopulate(schema, 'api::topic.topic', 'publications.supersedes.supersedes.topics', anonymous)).toThrow(/limited/)
    expect(() => guardPopulate(schema, 'api::topic.topic', 'publications.supersedes.topics', anonymous)).not.toThrow()
  })
})

describe('checkSort and guardReadParams', () => {
  it('refuses sorts by related entries in every form', () => {
    for (const sort of [
      'publications.slug:asc',
      ['slug', 'publications.slug'],
      {
        publications: { slug: 'asc' },
      },
      [
        { publications: 'asc' },
      ],
    ]) {
      expect(() => checkSort(schema, 'api::topic.topic', sort), JSON.stringify(sort)).toThrow(/Sorting/)
    }
    expect(() => checkSort(schema, 'api::topic.topic', ['slug:desc', 'id'])).not.toThrow()
  })

  it('forces published content on every caller but the preview credential, and public content on anonymous ones', () => {
    const params = {
      status: 'draft',
      hasPublishedVersion: false,
      filters: {
        slug: { $eq: 'a' },
      },
    }
    expect(guardReadParams(schema, 'api::publication.publication', params, 'anonymous')).toEqual({
      status: 'published',
      filters: {
        $and: [
          {
            slug: { $eq: 'a' },
          },
          PUBLIC_ONLY,
        ],
      },
    })
    expect(guardReadParams(schema, 'api::publication.publication', params, 'token')).toEqual({
      status: 'published',
      filters: {
        slug: { $eq: 'a' },
      },
    })
    expect(guardReadParams(schema, 'api::publication.publication', params, 'member')).toEqual({
      status: 'published',
      filters: {
        slug: { $eq: 'a' },
      },
    })
    expect(guardReadParams(schema, 'api::publication.publication', params, 'preview')).toEqual(params)
    expect(guardReadParams(schema, 'api::publication.publication', params, 'admin')).toBe(params)
    expect(guardReadParams(schema, 'api::publication.publication', params, 'internal')).toBe(params)
  })
})

describe('members-only types', () => {
  const uid = 'api::member-document.member-document'

  it('matches nothing for anonymous callers, whatever they filter', () => {
    expect(guardReadParams(schema, uid, {}, 'anonymous').filters).toEqual(NOTHING)
    expect(guardReadParams(schema, uid, {
      filters: {
        slug: { $eq: 'x' },
      },
    }, 'anonymous').filters).toEqual({
      $and: [
        {
          slug: { $eq: 'x' },
        },
        NOTHING,
      ],
    })
  })

  it('leaves members, API tokens and the preview credential their filters', () => {
    for (const caller of ['member', 'token', 'preview'] as const) {
      expect(guardReadParams(schema, uid, {
        filters: {
          slug: { $eq: 'x' },
        },
      }, caller).filters).toEqual({
        slug: { $eq: 'x' },
      })
    }
  })
})

describe('classifyCaller', () => {
  const contentApi = {
    info: { type: 'content-api' },
  }
  it.each([
    [undefined, 'internal'],
    [
      {
        state: {
          route: {
            info: { type: 'admin' },
          },
          user: {},
        },
      },
      'admin',
    ],
    [
      { state: {} },
      'anonymous',
    ],
    [
      {
        state: { route: contentApi },
      },
      'anonymous',
    ],
    [
      {
        state: {
          route: contentApi,
          user: { id: 1 },
          memberSession: { userId: 1, sessionVersion: 0 },
        },
      },
      'member',
    ],
    // a users-permissions user whose JWT the session middleware did not accept is no member
    [
      {
        state: {
          route: contentApi,
          user: { id: 1 },
        },
      },
      'anonymous',
    ],
    [
      {
        state: {
          route: contentApi,
          user: { id: 2 },
          memberSession: { userId: 1, sessionVersion: 0 },
        },
      },
      'anonymous',
    ],
    [
      {
        state: {
          route: contentApi,
          auth: {
            strategy: { name: 'content-api-token' },
            credentials: { id: 1 },
          },
        },
      },
      'token',
    ],
    [
      {
        state: {
          route: contentApi,
          auth: {
            strategy: { name: 'content-api-token' },
          },
        },
      },
      'anonymous',
    ],
  ])('classifies %j as %s', (ctx, expected) => {
    expect(classifyCaller(ctx as never)).toBe(expected)
  })

  it('accepts a member JWT only while its sv matches and the account is active and not blocked', () => {
    const active = {
      id: 1,
      blocked: false,
      memberStatus: 'active',
      sessionVersion: 3,
    }
    expect(isLiveMemberSession(active, 3)).toBe(true)
    expect(isLiveMemberSession(active, 2)).toBe(false)
    expect(isLiveMemberSession(active, '3')).toBe(false)
    expect(isLiveMemberSession(active, undefined)).toBe(false)
    expect(isLiveMemberSession({ ...active, blocked: true }, 3)).toBe(false)
    expect(isLiveMemberSession({ ...active, memberStatus: 'pending' }, 3)).toBe(false)
    expect(isLiveMemberSession({ ...active, memberStatus: 'blocked' }, 3)).toBe(false)
    expect(isLiveMemberSession({ id: 1, memberStatus: 'active', sessionVersion: null }, 0)).toBe(true)
    expect(isLiveMemberSession(null, 0)).toBe(false)
  })

  it('accepts the preview credential only when it is configured, long enough and equal', () => {
    const secret = 'x'.repeat(32)
    expect(isPreviewToken(secret, secret)).toBe(true)
    expect(isPreviewToken(`${secret}y`, secret)).toBe(false)
    expect(isPreviewToken(undefined, secret)).toBe(false)
    expect(isPreviewToken('short', 'short')).toBe(false)
    expect(isPreviewToken(secret, undefined)).toBe(false)
  })
})
