import type { Core, UID } from '@strapi/strapi'
/**
 * Seeds the ISECG content through the Document Service, so drafts, published versions and
 * relations are what an editor would get. Idempotent: every entry is looked up by its natural key
 * (slug, acronym) first and only missing ones are created; existing entries are never overwritten.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { makePdf } from '../utils/pdf'
import { agencies } from './fixtures/agencies'
import { faqs } from './fixtures/faqs'
import { news } from './fixtures/news'
import { aboutPage, brochureLines, homepage, siteSetting } from './fixtures/pages'
import { memberDocuments, membersOnlyNews, membersOnlyPublications, PLACEHOLDER_NOTE } from './fixtures/private-area'
import { publications } from './fixtures/publications'
import { topics } from './fixtures/topics'

export { agencies, faqs, memberDocuments, membersOnlyNews, membersOnlyPublications, news, publications, topics }

type Collection = Extract<UID.ContentType, `api::${string}`>
interface SeedReport {
  created: Record<string, number>
}

const SEED_MARKER = { type: 'core' as const, name: 'isecg', key: 'seeded-at' }

async function findByKey(strapi: Core.Strapi, uid: Collection, key: string, value: string) {
  return strapi.documents(uid).findFirst({
    filters: {
      [key]: { $eq: value },
    },
    status: 'draft',
    fields: [key],
  } as never)
}

async function upsert(strapi: Core.Strapi, report: SeedReport, uid: Collection, key: string, data: Record<string, unknown>) {
  const existing = await findByKey(strapi, uid, key, data[key] as string)
  if (existing)
    return existing.documentId as string
  const created = await strapi.documents(uid).create({ data, status: 'published' } as never)
  report.created[uid] = (report.created[uid] ?? 0) + 1
  return created.documentId as string
}

async function uploadPdf(strapi: Core.Strapi, name: string, lines: string[], title: string) {
  const existing = await strapi.db.query('plugin::upload.file').findOne({
    where: { name },
  })
  if (existing)
    return existing.id as number
  const dir = await mkdtemp(join(tmpdir(), 'isecg-seed-'))
  try {
    const filepath = join(dir, name)
    const buffer = makePdf(lines, title)
    await writeFile(filepath, buffer)
    const [file] = await strapi
      .plugin('upload')
      .service('upload')
      .upload({
        data: {
          fileInfo: { name, caption: title, alternativeText: title },
        },
        files: {
          filepath,
          originalFilename: name,
          mimetype: 'application/pdf',
          size: buffer.length,
        },
      })
    return file.id as number
  }
  finally {
    await rm(dir, { recursive: true, force: true })
  }
}

async function upsertSingle(strapi: Core.Strapi, report: SeedReport, uid: Collection, data: Record<string, unknown>) {
  const existing = await strapi.documents(uid).findFirst({ status: 'draft' } as never)
  if (existing)
    return
  await strapi.documents(uid).create({ data, status: 'published' } as never)
  report.created[uid] = (report.created[uid] ?? 0) + 1
}

export async function seed(strapi: Core.Strapi): Promise<SeedReport> {
  const report: SeedReport = { created: {} }

  const agencyIds = new Map<string, string>()
  for (const [index, agency] of agencies.entries()) {
    const documentId = await upsert(strapi, report, 'api::member-agency.member-agency', 'acronym', {
      ...agency,
      slug: agency.acronym.toLowerCase(),
      sortOrder: index + 1,
    })
    agencyIds.set(agency.acronym, documentId)
  }

  const topicIds = new Map<string, string>()
  for (const topic of topics) {
    topicIds.set(topic.slug, await upsert(strapi, report, 'api::topic.topic', 'slug', { ...topic }))
  }
  const topicRefs = (slugs: string[] = []) => slugs.map(slug => topicIds.get(slug)).filter(Boolean)

  const publicationIds = new Map<string, string>()
  for (const publication of publications) {
    const { topics: topicSlugs, supersedes, supplements, ...fields } = publication
    const file = await uploadPdf(strapi, `${publication.slug}.pdf`, [
      publication.title,
      '',
      `Published: ${publication.publicationDate.slice(0, 7)}`,
      '',
      'Summary sheet. The full document is available from the ISECG secretariat.',
    ], publication.title)
    const documentId = await upsert(strapi, report, 'api::publication.publication', 'slug', {
      ...fields,
      language: 'en',
      visibility: 'public',
      file,
      topics: topicRefs(topicSlugs),
      ...(supersedes && publicationIds.has(supersedes)
        ? {
            supersedes: publicationIds.get(supersedes),
          }
        : {}),
      ...(supplements && publicationIds.has(supplements)
        ? {
            supplements: publicationIds.get(supplements),
          }
        : {}),
    })
    publicationIds.set(publication.slug, documentId)
  }

  for (const item of news) {
    const { agencies: acronyms = [], topics: topicSlugs, ...fields } = item
    await upsert(strapi, report, 'api::news-article.news-article', 'slug', {
      ...fields,
      visibility: 'public',
      topics: topicRefs(topicSlugs),
      agencies: acronyms.map(acronym => agencyIds.get(acronym)).filter(Boolean),
    })
  }

  // Private Area placeholders: members-only entries and member documents (protected files)
  for (const publication of membersOnlyPublications) {
    const { topics: topicSlugs, ...fields } = publication
    const file = await uploadPdf(strapi, `${publication.slug}.pdf`, [publication.title, '', PLACEHOLDER_NOTE], publication.title)
    await upsert(strapi, report, 'api::publication.publication', 'slug', {
      ...fields,
      language: 'en',
      visibility: 'members',
      file,
      topics: topicRefs(topicSlugs),
    })
  }
  for (const item of membersOnlyNews) {
    const { agencies: acronyms = [], topics: topicSlugs, ...fields } = item
    await upsert(strapi, report, 'api::news-article.news-article', 'slug', {
      ...fields,
      visibility: 'members',
      topics: topicRefs(topicSlugs),
      agencies: acronyms.map(acronym => agencyIds.get(acronym)).filter(Boolean),
    })
  }
  for (const document of memberDocuments) {
    const { topics: topicSlugs, ...fields } = document
    const file = await uploadPdf(strapi, `${document.slug}.pdf`, [
      document.title,
      '',
      `Date: ${document.date}`,
      ...(document.workingGroup
        ? [`Working group: ${document.workingGroup}`]
        : []),
      '',
      PLACEHOLDER_NOTE,
      'For the members of ISECG only.',
    ], document.title)
    await upsert(strapi, report, 'api::member-document.member-document', 'slug', {
      ...fields,
      file,
      topics: topicRefs(topicSlugs),
    })
  }

  for (const faq of faqs) {
    await upsert(strapi, report, 'api::faq.faq', 'slug', { ...faq })
  }

  const brochure = await uploadPdf(strapi, 'isecg-brochure.pdf', brochureLines, 'ISECG brochure')
  await upsertSingle(strapi, report, 'api::about-page.about-page', { ...aboutPage })
  const { featuredPublicationSlugs, ...homeFields } = homepage
  await upsertSingle(strapi, report, 'api::homepage.homepage', {
    ...homeFields,
    featuredPublications: featuredPublicationSlugs.map(slug => publicationIds.get(slug)).filter(Boolean),
  })
  await upsertSingle(strapi, report, 'api::site-setting.site-setting', { ...siteSetting, brochure })

  await strapi.store(SEED_MARKER).set({
    value: new Date().toISOString(),
  })
  return report
}

/**
 * Seeds until one run has completed (the marker is written at its end), so a first start that was
 * interrupted part-way is finished by the next one; after that, starts leave editors' deletions alone.
 */
export async function seedIfEmpty(strapi: Core.Strapi) {
  if (await strapi.store(SEED_MARKER).get())
    return
  const report = await seed(strapi)
  const total = Object.values(report.created).reduce((sum, n) => sum + n, 0)
  strapi.log.info(`seed: created ${total} ISECG document(s) on an empty database`)
}
