import type { IncomingMessage, Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { NewsArticle, Publication, PublicationKind } from './types'
import { createServer } from 'node:http'
import qs from 'qs'
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest'
import { buildQuery, createCmsClient, StrapiError } from './client'

let server: Server
let baseUrl: string
const seen: IncomingMessage[] = []

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req)
    const url = new URL(req.url!, 'http://x')
    res.setHeader('content-type', 'application/json')
    if (url.pathname === '/api/news-articles') {
      const query = qs.parse(url.search.slice(1)) as any
      const slug = query.filters?.slug?.$eq
      const data = slug === 'known'
        ? [
            {
              id: 1,
              documentId: 'abc',
              title: 'Known',
              slug: 'known',
            },
          ]
        : []
      res.end(JSON.stringify({
        data,
        meta: {
          pagination: {
            page: 1,
            pageSize: 1,
            pageCount: 1,
            total: data.length,
          },
        },
      }))
    }
    else if (url.pathname === '/api/member-agencies') {
      // 230 entries, served at most 100 per page as the CMS does
      const query = qs.parse(url.search.slice(1)) as any
      const pageSize = Math.min(Number(query.pagination?.pageSize ?? 25), 100)
      const page = Number(query.pagination?.page ?? 1)
      const all = Array.from({ length: 230 }, (_, i) => ({ id: i + 1, documentId: `d${i + 1}`, slug: `agency-${i + 1}` }))
      const data = all.slice((page - 1) * pageSize, page * pageSize)
      res.end(JSON.stringify({
        data,
        meta: {
          pagination: {
            page,
            pageSize,
            pageCount: Math.ceil(all.length / pageSize),
            total: all.length,
          },
        },
      }))
    }
    else if (url.pathname === '/api/homepage') {
      res.statusCode = 404
      res.end(JSON.stringify({
        data: null,
        error: { status: 404, name: 'NotFoundError', message: 'Not Found' },
      }))
    }
    else if (url.pathname === '/api/faqs') {
      res.statusCode = 502
      res.setHeader('content-type', 'text/html')
      res.end('<html>bad gateway</html>')
    }
    else {
      res.statusCode = 400
      res.end(JSON.stringify({
        data: null,
        error: {
          status: 400,
          name: 'ValidationError',
          message: 'Invalid key nope',
          details: { key: 'nope' },
        },
      }))
    }
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
})

afterAll(() => new Promise<void>(resolve => server.close(() => resolve())))

describe('buildQuery', () => {
  it('serialises nested Strapi params with bracket keys', () => {
    const query = buildQuery({
      fields: ['title', 'slug'],
      populate: {
        cover: {
          fields: ['url'],
        },
      },
      filters: {
        kind: {
          $in: ['roadmap', 'supplement'],
        },
      },
      sort: ['date:desc'],
      pagination: { page: 2, pageSize: 10 },
    })
    expect(decodeURIComponent(query)).toBe(
      '?fields[0]=title&fields[1]=slug&populate[cover][fields][0]=url&filters[kind][$in][0]=roadmap&filters[kind][$in][1]=supplement&sort[0]=date:desc&pagination[page]=2&pagination[pageSize]=10',
    )
  })

  it('returns an empty string for no params and encodes values', () => {
    expect(buildQuery()).toBe('')
    expect(buildQuery({
      filters: {
        title: { $containsi: 'a&b c' },
      },
    })).toBe('?filters[title][$containsi]=a%26b%20c')
  })
})

describe('createCmsClient', () => {
  it('finds an entry by slug and sends the token as a bearer header', async () => {
    const client = createCmsClient({ baseUrl, token: 'member-token' })
    const entry = await client.findBySlug('news-articles', 'known', {
      fields: ['title'],
    })
    expect(entry?.title).toBe('Known')
    expect(seen.at(-1)!.headers.authorization).toBe('Bearer member-token')
    expect(await client.findBySlug('news-articles', 'unknown')).toBeNull()
  })

  it('turns Strapi error bodies into StrapiError with status and details', async () => {
    const client = createCmsClient({ baseUrl })
    await expect(client.single('homepage')).rejects.toMatchObject({ name: 'StrapiError', status: 404, message: 'Not Found' })
    // @ts-expect-error a field that is not in the schema is a type error before it is a 400
    await expect(client.find('publications', {
      filters: { nope: 1 },
    })).rejects.toMatchObject({
      status: 400,
      details: { key: 'nope' },
    })
  })

  it('reports a non-JSON error page with its status', async () => {
    const client = createCmsClient({ baseUrl })
    const error = await client.find('faqs').catch(e => e)
    expect(error).toBeInstanceOf(StrapiError)
    expect(error.status).toBe(502)
  })

  it('reports an unreachable CMS as status 0', async () => {
    const client = createCmsClient({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 2000 })
    const error = await client.find('topics').catch(e => e)
    expect(error).toBeInstanceOf(StrapiError)
    expect(error.status).toBe(0)
  })

  it('types entries from the CMS schema', () => {
    expectTypeOf<NewsArticle['title']>().toEqualTypeOf<string | null | undefined>()
    expectTypeOf<'white_paper'>().toExtend<PublicationKind>()
    expectTypeOf<Publication['documentId']>().toEqualTypeOf<string>()
  })

  it('findAll pages through every entry past the CMS page cap', async () => {
    const client = createCmsClient({ baseUrl })
    const all = await client.findAll('member-agencies', {
      fields: ['slug'],
    })
    expect(all).toHaveLength(230)
    expect(new Set(all.map(agency => agency.slug)).size).toBe(230)
    expect(all.at(-1)?.slug).toBe('agency-230')
  })

  it('types results by the fields and populate asked for', async () => {
    const client = createCmsClient({ baseUrl })
    const entry = await client.findBySlug('news-articles', 'known', {
      fields: ['title', 'slug'],
      populate: {
        topics: {
          fields: ['slug'],
        },
      },
    })
    expect(entry).toMatchObject({ title: 'Known', slug: 'known' })
    expectTypeOf(entry!.title).toEqualTypeOf<string | null | undefined>()
    expectTypeOf(entry!.documentId).toEqualTypeOf<string>()
    expectTypeOf(entry!).toHaveProperty('topics')
    // @ts-expect-error body was not asked for, so it is not in the result type
    expect(entry!.body).toBeUndefined()
    // @ts-expect-error 'draft' is not a publication kind
    await client.find('publications', {
      filters: {
        kind: { $eq: 'draft' },
      },
    }).catch(() => null)
  })
})
