/**
 * Which uploaded files are public, and which a member may download.
 *
 * A file is public only when it is attached to a published entry that anyone may read: an entry of
 * a type the Public role reads (news, publications, agencies, topics, FAQ, home page, site settings,
 * About page), and, for types with a `visibility` field, a `public` one. Anything else (files of
 * member documents, of members-only or draft entries, files attached to nothing) is not public: an
 * allow-list. Members may download files attached to a published entry of a type they read, member
 * documents included.
 *
 * Decisions about /uploads URLs are cached for a few seconds per instance and forgotten whenever
 * content or files change in this instance (src/index.ts wires the invalidation).
 */
import type { Core, UID } from '@strapi/strapi'
import { MEMBER_READABLE_TYPES, PUBLIC_READABLE_TYPES } from '../bootstrap/permissions'

export const FILE_UID = 'plugin::upload.file'
export const UPLOADS_PREFIX = '/uploads/'

export type Audience = 'public' | 'member'

export interface RelatedEntry {
  __type: string
  id: number
  documentId?: string
  publishedAt?: string | null
  visibility?: string | null
  title?: string | null
  name?: string | null
  siteName?: string | null
}

export interface StoredFile {
  id: number
  name: string
  url: string
  ext?: string | null
  mime?: string | null
  size?: number | null
  provider?: string | null
  formats?: Record<string, { url?: string } | null> | null
  related?: RelatedEntry[]
}

/** Whether an entry a file is attached to lets this audience have the file. */
export function entryGrants(strapi: Core.Strapi, entry: RelatedEntry, audience: Audience): boolean {
  const types: readonly string[] = audience === 'public'
    ? PUBLIC_READABLE_TYPES
    : MEMBER_READABLE_TYPES
  if (!types.includes(entry.__type))
    return false
  const model = strapi.getModel(entry.__type as UID.Schema) as { options?: { draftAndPublish?: boolean }, attributes: Record<string, unknown> } | undefined
  if (!model)
    return false
  if (model.options?.draftAndPublish && !entry.publishedAt)
    return false
  if (audience === 'public' && 'visibility' in model.attributes && entry.visibility !== 'public')
    return false
  return true
}

/** The file an /uploads URL belongs to: its own URL or the URL of one of its formats. */
export async function findFileByUrl(strapi: Core.Strapi, url: string): Promise<StoredFile | null> {
  const name = url.slice(UPLOADS_PREFIX.length)
  // formats are stored as <format>_<hash><ext> next to <hash><ext>
  const candidates = new Set([url])
  const format = /^[a-z0-9-]+_(.+)$/i.exec(name)
  if (format)
    candidates.add(`${UPLOADS_PREFIX}${format[1]}`)
  const files = await strapi.db.query(FILE_UID).findMany({
    where: {
      url: {
        $in: [...candidates],
      },
    },
    populate: { related: true },
  }) as StoredFile[]
  return files.find(file => file.url === url || Object.values(file.formats ?? {}).some(entry => entry?.url === url)) ?? null
}

export async function findFileById(strapi: Core.Strapi, id: number): Promise<StoredFile | null> {
  return strapi.db.query(FILE_UID).findOne({
    where: { id },
    populate: { related: true },
  }) as Promise<StoredFile | null>
}

/** The entries through which this audience may have the file (empty: it may not). */
export function grantingEntries(strapi: Core.Strapi, file: StoredFile, audience: Audience): RelatedEntry[] {
  return (file.related ?? []).filter(entry => entryGrants(strapi, entry, audience))
}

const CACHE_TTL_MS = 10_000
const CACHE_MAX = 5_000
const decisions = new Map<string, { isPublic: boolean, at: number }>()
/** bumped on every change, so that a lookup that started before it does not store its answer */
let generation = 0

export function forgetFileDecisions(): void {
  generation += 1
  decisions.clear()
}

/** Whether an /uploads URL (decoded, normalised) may be served to anyone. */
export async function isPublicUpload(strapi: Core.Strapi, url: string): Promise<boolean> {
  const cached = decisions.get(url)
  if (cached && Date.now() - cached.at < CACHE_TTL_MS)
    return cached.isPublic
  const started = generation
  const file = await findFileByUrl(strapi, url)
  const isPublic = Boolean(file && grantingEntries(strapi, file, 'public').length > 0)
  if (started === generation) {
    if (decisions.size >= CACHE_MAX)
      decisions.clear()
    decisions.set(url, {
      isPublic,
      at: Date.now(),
    })
  }
  return isPublic
}

const READS = new Set([
  'findMany',
  'findFirst',
  'findOne',
  'count',
])

/**
 * Forgets cached /uploads decisions after every content change (Document Service writes, once they
 * are committed) and every change to the files themselves (upload plugin, database lifecycles).
 */
export function registerFileDecisionInvalidation(strapi: Core.Strapi): void {
  strapi.documents.use(async (context, next) => {
    if (READS.has(context.action))
      return next()
    try {
      return await next()
    }
    finally {
      forgetFileDecisions()
    }
  })
}

export function subscribeToFileChanges(strapi: Core.Strapi): void {
  const forget = () => forgetFileDecisions()
  strapi.db.lifecycles.subscribe({
    models: [FILE_UID],
    afterCreate: forget,
    afterCreateMany: forget,
    afterUpdate: forget,
    afterUpdateMany: forget,
    afterDelete: forget,
    afterDeleteMany: forget,
  })
}
