import type { UID } from '@strapi/strapi'
import type { CollectionName, SingleName } from './collections'
import type { CollectionUID, ItemResponse, ListResponse, Query, Result, SingleUID, StrapiErrorBody } from './types'
import qs from 'qs'

export interface PaginationParams {
  pagination?: { page?: number, pageSize?: number, withCount?: boolean } | { start?: number, limit?: number }
  status?: 'published' | 'draft'
  locale?: string
}

/** REST query parameters, as Strapi 5 documents them (untyped form, for buildQuery). */
export interface QueryParams extends PaginationParams {
  fields?: string[]
  populate?: Record<string, unknown> | string[]
  filters?: Record<string, unknown>
  sort?: string | string[]
}

/** Parameters for `uid`, checked against its schema. Write `fields` and `populate` explicitly. */
export type Params<TUID extends UID.ContentType> = Query<TUID> & PaginationParams

/**
 * What the REST API returns for `uid` asked with `params`: only the fields asked for (plus id and
 * documentId) and the relations and media populated.
 */
export type Found<TUID extends UID.ContentType, P> = Result<TUID, P extends Query<TUID> ? Pick<P, Extract<keyof P, 'fields' | 'populate'>> : never>

export interface CmsClientOptions {
  /** CMS origin, e.g. http://localhost:1337 (no trailing /api). */
  baseUrl: string
  /** Optional API token or member JWT. Keep it server-side. */
  token?: string
  /** fetch implementation (defaults to the global one). */
  fetch?: typeof fetch
  /** Per-request timeout in milliseconds (default 10 s). */
  timeoutMs?: number
}

/** A failed call: the HTTP status (0 when the CMS could not be reached) and Strapi's message. */
export class StrapiError extends Error {
  readonly status: number
  readonly details?: unknown
  constructor(status: number, message: string, details?: unknown) {
    super(message)
    this.name = 'StrapiError'
    this.status = status
    this.details = details
  }
}

/** The CMS's largest page size (api.rest.maxLimit in cms/config/api.ts). */
export const MAX_PAGE_SIZE = 100

export function buildQuery(params: QueryParams = {}): string {
  const query = qs.stringify(params, { encodeValuesOnly: true, skipNulls: true })
  return query
    ? `?${query}`
    : ''
}

export function createCmsClient(options: CmsClientOptions) {
  const baseUrl = options.baseUrl.replace(/\/+$/, '')
  const doFetch = options.fetch ?? globalThis.fetch
  const timeoutMs = options.timeoutMs ?? 10_000

  async function request<T>(path: string, params?: object): Promise<T> {
    const url = `${baseUrl}/api/${path}${buildQuery(params as QueryParams | undefined)}`
    const headers: Record<string, string> = { accept: 'application/json' }
    if (options.token)
      headers.authorization = `Bearer ${options.token}`
    let response: Response
    try {
      response = await doFetch(url, {
        headers,
        signal: AbortSignal.timeout(timeoutMs),
      })
    }
    catch (cause) {
      throw new StrapiError(0, `CMS unreachable at ${baseUrl}: ${(cause as Error).message}`)
    }
    const body = (await response.json().catch(() => null)) as (T & Partial<StrapiErrorBody>) | null
    if (!response.ok) {
      const error = body?.error
      throw new StrapiError(response.status, error?.message ?? `CMS answered ${response.status}`, error?.details)
    }
    if (body === null)
      throw new StrapiError(response.status, 'CMS answered with a body that is not JSON')
    return body
  }

  return {
    baseUrl,
    /** A page of published entries of a collection, typed by the fields and populate asked for. */
    find<C extends CollectionName, const P extends Params<CollectionUID<C>> = object>(collection: C, params?: P) {
      return request<ListResponse<Found<CollectionUID<C>, P>>>(collection, params)
    },
    /**
     * Every entry that matches, fetched page by page at the CMS's largest page size (100), so that
     * nothing is silently cut off at the CMS's cap.
     */
    async findAll<C extends CollectionName, const P extends Omit<Params<CollectionUID<C>>, 'pagination'> = object>(collection: C, params?: P) {
      const all: Found<CollectionUID<C>, P>[] = []
      for (let page = 1; ; page++) {
        const result = await request<ListResponse<Found<CollectionUID<C>, P>>>(collection, {
          ...params,
          pagination: { page, pageSize: MAX_PAGE_SIZE, withCount: true },
        })
        all.push(...result.data)
        if (page >= result.meta.pagination.pageCount || result.data.length === 0)
          return all
      }
    },
    /** One entry by documentId; rejects with StrapiError status 404 when absent. */
    findOne<C extends CollectionName, const P extends Omit<Params<CollectionUID<C>>, 'pagination' | 'sort'> = object>(collection: C, documentId: string, params?: P) {
      return request<ItemResponse<Found<CollectionUID<C>, P>>>(`${collection}/${encodeURIComponent(documentId)}`, params)
    },
    /** One entry by slug, or null when there is none. */
    async findBySlug<C extends CollectionName, const P extends Omit<Params<CollectionUID<C>>, 'pagination' | 'filters'> = object>(collection: C, slug: string, params?: P) {
      const result = await request<ListResponse<Found<CollectionUID<C>, P>>>(collection, {
        ...params,
        filters: {
          slug: { $eq: slug },
        },
        pagination: { page: 1, pageSize: 1, withCount: false },
      })
      return result.data[0] ?? null
    },
    /** A single type (homepage, site-setting, about-page); rejects with status 404 when unpublished. */
    single<S extends SingleName, const P extends Omit<Params<SingleUID<S>>, 'pagination' | 'sort' | 'filters'> = object>(name: S, params?: P) {
      return request<ItemResponse<Found<SingleUID<S>, P>>>(name, params)
    },
  }
}

export type CmsClient = ReturnType<typeof createCmsClient>
