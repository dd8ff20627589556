import type { CmsInstance } from './harness'
/**
 * The response cache of anonymous Content API reads (src/content-api/response-cache.ts,
 * src/middlewares/response-cache.ts), against a real CMS: hits, invalidation by Document Service
 * writes and by another instance's writes (the generation counter), and no mixing of anonymous,
 * member and API token answers around a members-only entry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cacheKey, ResponseStore } from '../src/content-api/response-cache'
import { startCms } from './harness'
import { createMember } from './support/members'

const LIST = '/api/news-articles?sort=date:desc&pagination[pageSize]=100&fields[0]=slug&fields[1]=visibility'
const CHECK_MS = 300

let cms: CmsInstance
let memberHeaders: Record<string, string>
let tokenHeaders: Record<string, string>

async function get(path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${cms.url}${path}`, { headers })
  const text = await response.text()
  return {
    status: response.status,
    cache: response.headers.get('x-cache'),
    type: response.headers.get('content-type'),
    text,
    slugs: response.ok && text.startsWith('{"data":[')
      ? (JSON.parse(text).data as Array<{ slug: string }>).map(entry => entry.slug)
      : [],
  }
}

const news = () => cms.strapi.documents('api::news-article.news-article')

async function createNews(slug: string, visibility: 'public' | 'members', status: 'draft' | 'published' = 'published') {
  return news().create({
    data: {
      title: `Cache test ${slug}`,
      slug,
      date: '2030-01-01',
      visibility,
    },
    status,
  } as never) as Promise<{ documentId: string }>
}

beforeAll(async () => {
  cms = await startCms({
    env: {
      RESPONSE_CACHE_CHECK_MS: String(CHECK_MS),
    },
  })
  const member = await createMember(cms.strapi, { email: 'cache-member@isecg.test' })
  memberHeaders = { authorization: `Bearer ${member.jwt}` }
  const token = await cms.strapi.service('admin::api-token').create({
    name: 'cache test token',
    description: 'response cache test',
    type: 'read-only',
    lifespan: null,
  }) as { accessKey: string }
  tokenHeaders = { authorization: `Bearer ${token.accessKey}` }
})

afterAll(async () => {
  await cms?.stop()
})

describe('anonymous reads', () => {
  it('serves a second identical anonymous request from the cache, byte for byte', async () => {
    const path = `${LIST}&filters[slug][$ne]=first-hit`
    const first = await get(path)
    const second = await get(path)
    expect(first.status).toBe(200)
    expect(first.cache).toBe('MISS')
    expect(second.cache).toBe('HIT')
    expect(second.text).toBe(first.text)
    expect(second.type).toMatch(/^application\/json/)
    // the same parameters in another order are the same entry
    const reordered = await get('/api/news-articles?filters[slug][$ne]=first-hit&fields[1]=visibility&fields[0]=slug&pagination[pageSize]=100&sort=date:desc')
    expect(reordered.cache).toBe('HIT')
  })

  it('answers fresh after a publish, an update, an unpublish and a delete', async () => {
    await get(LIST)
    expect((await get(LIST)).cache).toBe('HIT')

    const draft = await createNews('cache-publish', 'public', 'draft')
    const afterDraft = await get(LIST)
    expect(afterDraft.slugs).not.toContain('cache-publish')

    await news().publish({ documentId: draft.documentId } as never)
    const afterPublish = await get(LIST)
    expect(afterPublish.cache).toBe('MISS')
    expect(afterPublish.slugs).toContain('cache-publish')
    expect((await get(LIST)).cache).toBe('HIT')

    await news().update({
      documentId: draft.documentId,
      data: { slug: 'cache-publish-renamed' },
      status: 'published',
    } as never)
    const afterUpdate = await get(LIST)
    expect(afterUpdate.cache).toBe('MISS')
    expect(afterUpdate.slugs).toContain('cache-publish-renamed')

    await news().unpublish({ documentId: draft.documentId } as never)
    expect((await get(LIST)).slugs).not.toContain('cache-publish-renamed')

    await news().publish({ documentId: draft.documentId } as never)
    expect((await get(LIST)).slugs).toContain('cache-publish-renamed')
    await news().delete({ documentId: draft.documentId } as never)
    expect((await get(LIST)).slugs).not.toContain('cache-publish-renamed')
  })

  it('keeps its entries when only members-only data changes (subscribers, the consent ledger)', async () => {
    const path = `${LIST}&filters[slug][$ne]=members-only-writes`
    await get(path)
    expect((await get(path)).cache).toBe('HIT')
    const subscriber = await cms.strapi.documents('api::subscriber.subscriber').create({
      data: {
        email: 'cache-keeps@example.org',
        subscription: 'pending',
        allNews: true,
        subjectRef: 'cache-keeps-subject-ref',
      },
    } as never) as unknown as { documentId: string }
    await cms.strapi.documents('api::subscriber.subscriber').delete({ documentId: subscriber.documentId } as never)
    expect((await get(path)).cache).toBe('HIT')
  })

  it('sees another instance\'s write within the check interval (the generation counter in the database)', async () => {
    const path = `${LIST}&filters[slug][$ne]=other-instance`
    await get(path)
    expect((await get(path)).cache).toBe('HIT')
    // what another instance does: write the content and bump the counter in the shared database
    // (raw SQL here, so that this instance's own invalidation plays no part)
    const knex = cms.strapi.db.connection
    const [published] = await knex('news_articles').whereNotNull('published_at').orderBy('id').limit(1).select('id', 'slug')
    await knex('news_articles').where({ id: published.id }).update({ slug: 'changed-elsewhere' })
    try {
      // unseen until the counter moves: the cache answers what it has
      expect((await get(path)).slugs).not.toContain('changed-elsewhere')
      await knex('isecg_cache_generation').increment('generation', 1)
      await new Promise(resolve => setTimeout(resolve, CHECK_MS + 100))
      const fresh = await get(path)
      expect(fresh.cache).toBe('MISS')
      expect(fresh.slugs).toContain('changed-elsewhere')
    }
    finally {
      await knex('news_articles').where({ id: published.id }).update({ slug: published.slug })
      await knex('isecg_cache_generation').increment('generation', 1)
    }
  })

  it('does not cache errors or routes outside the public content types', async () => {
    expect((await get('/api/news-articles?filters[nope][$eq]=1')).status).toBe(400)
    expect((await get('/api/news-articles?filters[nope][$eq]=1')).cache).toBe('MISS')
    const documents = await get('/api/member-documents')
    expect(documents.cache).toBeNull()
  })
})

describe('members-only entries', () => {
  it('never serves a member\'s or a token\'s answer to an anonymous request, nor the reverse', async () => {
    await createNews('cache-members-only', 'members')
    const path = `${LIST}&filters[slug][$startsWith]=cache-members`

    // a member asks first: its answer has the entry and is not stored
    // (the answers are checked before the X-Cache headers: what matters is who sees what)
    const member = await get(path, memberHeaders)
    expect(member.status).toBe(200)
    expect(member.slugs).toEqual(['cache-members-only'])
    const anonymous = await get(path)
    expect(anonymous.slugs).toEqual([])
    expect(member.cache).toBe('BYPASS')
    expect(anonymous.cache).toBe('MISS')

    // the anonymous answer is now cached: members and tokens still get their own
    expect((await get(path)).cache).toBe('HIT')
    for (const headers of [memberHeaders, tokenHeaders]) {
      const own = await get(path, headers)
      expect(own.slugs).toEqual(['cache-members-only'])
      expect(own.cache).toBe('BYPASS')
    }
    const again = await get(path)
    expect(again.slugs).toEqual([])
    expect(again.cache).toBe('HIT')

    // the detail route too
    const entry = await news().findFirst({
      filters: { slug: 'cache-members-only' },
      status: 'published',
    } as never) as { documentId: string }
    const detail = `/api/news-articles/${entry.documentId}`
    expect((await get(detail)).status).toBe(404)
    expect((await get(detail, tokenHeaders)).status).toBe(200)
    expect((await get(detail)).status).toBe(404)
  })

  it('answers a preview or cookie-carrying request without the cache', async () => {
    const path = `${LIST}&filters[slug][$ne]=bypass`
    await get(path)
    expect((await get(path)).cache).toBe('HIT')
    expect((await get(path, { 'x-preview-token': 'not-the-token' })).cache).toBe('BYPASS')
    expect((await get(path, { cookie: 'a=b' })).cache).toBe('BYPASS')
  })
})

describe('the store', () => {
  const body = (n: number) => ({
    body: Buffer.alloc(n),
    type: 'application/json',
  })

  it('is bounded by entries and bytes, least recently used out first', () => {
    const store = new ResponseStore({
      maxEntries: 3,
      maxBytes: 100,
      maxEntryBytes: 60,
      ttlMs: 60_000,
    })
    store.set('a', body(10), store.epoch)
    store.set('b', body(10), store.epoch)
    store.set('c', body(10), store.epoch)
    store.get('a')
    store.set('d', body(10), store.epoch)
    expect(store.get('b')).toBeUndefined()
    expect(store.get('a')).toBeDefined()
    expect(store.count).toBe(3)
    expect(store.set('big', body(61), store.epoch)).toBe(false)
    store.set('e', body(50), store.epoch)
    store.set('f', body(50), store.epoch)
    expect(store.bytes).toBeLessThanOrEqual(100)
    expect(store.get('f')).toBeDefined()
  })

  it('refuses an answer computed before a clear, and expires entries', () => {
    const store = new ResponseStore({
      maxEntries: 10,
      maxBytes: 100,
      maxEntryBytes: 60,
      ttlMs: 1000,
    })
    const epoch = store.epoch
    store.clear()
    expect(store.set('a', body(1), epoch)).toBe(false)
    store.set('b', body(1), store.epoch, 0)
    expect(store.get('b', 999)).toBeDefined()
    expect(store.get('b', 1000)).toBeUndefined()
  })

  it('keys on the decoded, stably ordered parameters', () => {
    expect(cacheKey('/api/x', 'b=2&a=1')).toBe(cacheKey('/api/x', 'a=1&b=2'))
    expect(cacheKey('/api/x', 'a=%31')).toBe(cacheKey('/api/x', 'a=1'))
    expect(cacheKey('/api/x', 's=1&s=2')).not.toBe(cacheKey('/api/x', 's=2&s=1'))
    expect(cacheKey('/api/x', '')).not.toBe(cacheKey('/api/y', ''))
  })
})
