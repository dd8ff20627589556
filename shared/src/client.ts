import qs from 'qs';
import type { CollectionName, SingleName } from './collections';
import type { EntryOf, ItemResponse, ListResponse, SingleOf, StrapiErrorBody } from './types';

/** REST query parameters, as Strapi 5 documents them. Write `populate` and `fields` explicitly. */
export interface QueryParams {
  fields?: string[];
  populate?: Record<string, unknown> | string[];
  filters?: Record<string, unknown>;
  sort?: string | string[];
  pagination?: { page?: number; pageSize?: number; withCount?: boolean } | { start?: number; limit?: number };
  status?: 'published' | 'draft';
  locale?: string;
}

export interface CmsClientOptions {
  /** CMS origin, e.g. http://localhost:1337 (no trailing /api). */
  baseUrl: string;
  /** Optional API token or member JWT. Keep it server-side. */
  token?: string;
  /** fetch implementation (defaults to the global one). */
  fetch?: typeof fetch;
  /** Per-request timeout in milliseconds (default 10 s). */
  timeoutMs?: number;
}

/** A failed call: the HTTP status (0 when the CMS could not be reached) and Strapi's message. */
export class StrapiError extends Error {
  readonly status: number;
  readonly details?: unknown;
  constructor(status: number, message: string, details?: unknown) {
    super(message);
    this.name = 'StrapiError';
    this.status = status;
    this.details = details;
  }
}

export function buildQuery(params: QueryParams = {}): string {
  const query = qs.stringify(params, { encodeValuesOnly: true, skipNulls: true });
  return query ? `?${query}` : '';
}

export function createCmsClient(options: CmsClientOptions) {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;

  async function request<T>(path: string, params?: QueryParams): Promise<T> {
    const url = `${baseUrl}/api/${path}${buildQuery(params)}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let response: Response;
    try {
      response = await doFetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
    } catch (cause) {
      throw new StrapiError(0, `CMS unreachable at ${baseUrl}: ${(cause as Error).message}`);
    }
    const body = (await response.json().catch(() => null)) as (T & Partial<StrapiErrorBody>) | null;
    if (!response.ok) {
      const error = body?.error;
      throw new StrapiError(response.status, error?.message ?? `CMS answered ${response.status}`, error?.details);
    }
    if (body === null) throw new StrapiError(response.status, 'CMS answered with a body that is not JSON');
    return body;
  }

  return {
    baseUrl,
    /** A page of published entries of a collection. */
    find<C extends CollectionName>(collection: C, params?: QueryParams) {
      return request<ListResponse<EntryOf<C>>>(collection, params);
    },
    /** One entry by documentId; rejects with StrapiError status 404 when absent. */
    findOne<C extends CollectionName>(collection: C, documentId: string, params?: Omit<QueryParams, 'pagination' | 'sort'>) {
      return request<ItemResponse<EntryOf<C>>>(`${collection}/${encodeURIComponent(documentId)}`, params);
    },
    /** One entry by slug, or null when there is none. */
    async findBySlug<C extends CollectionName>(collection: C, slug: string, params: Omit<QueryParams, 'pagination' | 'filters'> = {}) {
      const result = await request<ListResponse<EntryOf<C>>>(collection, {
        ...params,
        filters: { slug: { $eq: slug } },
        pagination: { page: 1, pageSize: 1, withCount: false },
      });
      return result.data[0] ?? null;
    },
    /** A single type (homepage, site-setting, about-page); rejects with status 404 when unpublished. */
    single<S extends SingleName>(name: S, params?: Omit<QueryParams, 'pagination' | 'sort' | 'filters'>) {
      return request<ItemResponse<SingleOf<S>>>(name, params);
    },
  };
}

export type CmsClient = ReturnType<typeof createCmsClient>;
