/**
 * Hidden content for security tests: what an anonymous caller must never learn about, added to a
 * seeded CMS the way editors would make it.
 *
 * - a published members-only news article, a members-only publication and a member document (a
 *   type only members read), and a member document that exists only as a draft;
 * - a public news article, published, with newer unpublished draft edits;
 * - a news article, a publication and a topic that exist only as drafts;
 * - a topic whose only entries are members-only, and an empty topic to compare it with;
 * - a subscriber and a news mailing (news notifications: readable by no one outside the admin);
 * - schedules (publish at, unpublish at: private, for the admin only) on the public article, its
 *   draft edits, the members-only publication and the draft-only article, at the SCHEDULE times;
 * - one cover image and one PDF shared by hidden and public entries (editors reuse media), also
 *   used as an agency logo and the site's brochure; the home page features the hidden publication.
 *
 * Every hidden value carries MARKER, so a response can be searched for it. `remove()` deletes the
 * hidden content and discards the draft edits: anonymous answers must be the same before and after.
 */
import type { Core } from '@strapi/strapi'

export const MARKER = 'zzsecret'
/** Schedule times no answer outside the admin may contain (far ahead: the scheduler never acts). */
export const SCHEDULE = {
  publishAt: '2099-01-02T03:04:05.000Z',
  unpublishAt: '2099-02-03T04:05:06.000Z',
}

export interface HiddenContent {
  /** documentIds and texts that must never reach an anonymous caller */
  secrets: string[]
  /** the same for draft-only values, which no caller outside the admin may receive */
  draftSecrets: string[]
  publicArticle: { documentId: string, slug: string }
  hiddenOnlyTopic: string
  emptyTopic: string
  imageId: number
  pdfId: number
  remove: () => Promise<void>
}

type Docs = Core.Strapi['documents']

async function file(strapi: Core.Strapi, name: string, mime: string, ext: string) {
  return strapi.db.query('plugin::upload.file').create({
    data: {
      name,
      alternativeText: name,
      caption: name,
      hash: name.replace(/\W/g, '_'),
      ext,
      mime,
      size: 1.5,
      url: `/uploads/${name}`,
      provider: 'local',
      width: mime.startsWith('image/')
        ? 10
        : null,
      height: mime.startsWith('image/')
        ? 10
        : null,
    },
  }) as Promise<{ id: number }>
}

export async function addHiddenContent(strapi: Core.Strapi): Promise<HiddenContent> {
  const documents: Docs = strapi.documents
  const news = documents('api::news-article.news-article')
  const publications = documents('api::publication.publication')
  const topics = documents('api::topic.topic')
  const image = await file(strapi, 'shared-cover.png', 'image/png', '.png')
  const pdf = await file(strapi, 'shared-document.pdf', 'application/pdf', '.pdf')

  const lunar = await topics.findFirst({
    filters: { slug: 'lunar-volatiles' },
  })
  const ger2024 = await publications.findFirst({
    filters: { slug: 'global-exploration-roadmap-2024' },
  })
  const esa = await documents('api::member-agency.member-agency').findFirst({
    filters: { acronym: 'ESA' },
  })

  const hiddenOnlyTopic = await topics.create({
    data: { title: 'Topic with members-only entries only', slug: 'hidden-only-topic', intro: 'x' },
    status: 'published',
  } as never)
  const emptyTopic = await topics.create({
    data: { title: 'Topic with no entries', slug: 'empty-topic', intro: 'x' },
    status: 'published',
  } as never)
  const draftTopic = await topics.create({
    data: { title: `${MARKER} draft-only topic`, slug: `${MARKER}-draft-topic` },
  } as never)

  const membersNews = await news.create({
    data: {
      title: `${MARKER} members news`,
      slug: `${MARKER}-members-news`,
      date: '2026-11-20',
      summary: `${MARKER} summary`,
      body: `${MARKER} confidential minutes`,
      visibility: 'members',
      cover: image.id,
      attachments: [pdf.id],
      topics: [hiddenOnlyTopic.documentId, lunar!.documentId],
      agencies: [esa!.documentId],
    },
    status: 'published',
  } as never)
  const membersPublication = await publications.create({
    data: {
      title: `${MARKER} members publication`,
      slug: `${MARKER}-members-publication`,
      kind: 'roadmap',
      publicationDate: '2026-11-01',
      abstract: `${MARKER} abstract`,
      visibility: 'members',
      cover: image.id,
      file: pdf.id,
      topics: [hiddenOnlyTopic.documentId],
      supersedes: ger2024!.documentId,
      unpublishAt: SCHEDULE.unpublishAt,
    },
    status: 'published',
  } as never)
  const draftNews = await news.create({
    data: {
      title: `${MARKER} draft-only news`,
      slug: `${MARKER}-draft-news`,
      date: '2026-11-22',
      body: `${MARKER} not yet`,
      visibility: 'public',
      cover: image.id,
      attachments: [pdf.id],
      topics: [lunar!.documentId],
      publishAt: SCHEDULE.publishAt,
    },
  } as never)
  const draftPublication = await publications.create({
    data: {
      title: `${MARKER} draft-only publication`,
      slug: `${MARKER}-draft-publication`,
      kind: 'report',
      publicationDate: '2026-10-01',
      visibility: 'public',
      file: pdf.id,
      cover: image.id,
      topics: [lunar!.documentId],
    },
  } as never)

  const memberDocuments = documents('api::member-document.member-document')
  const memberDocument = await memberDocuments.create({
    data: {
      title: `${MARKER} member document`,
      slug: `${MARKER}-member-document`,
      kind: 'minutes',
      date: '2026-11-02',
      summary: `${MARKER} member document summary`,
      workingGroup: `${MARKER} working group`,
      file: pdf.id,
      topics: [hiddenOnlyTopic.documentId, lunar!.documentId],
    },
    status: 'published',
  } as never)
  const draftMemberDocument = await memberDocuments.create({
    data: {
      title: `${MARKER} draft-only member document`,
      slug: `${MARKER}-draft-member-document`,
      kind: 'report',
      date: '2026-11-03',
      file: pdf.id,
    },
  } as never)

  const publicArticle = await news.create({
    data: {
      title: 'Public article sharing media',
      slug: 'public-article-sharing-media',
      date: '2026-11-19',
      summary: 'Public summary',
      body: 'Public body',
      visibility: 'public',
      cover: image.id,
      attachments: [pdf.id],
      topics: [lunar!.documentId, draftTopic.documentId],
      agencies: [esa!.documentId],
      unpublishAt: SCHEDULE.unpublishAt,
    },
    status: 'published',
  } as never)
  // newer draft edits of a published public article, scheduled
  await news.update({
    documentId: publicArticle.documentId,
    data: {
      title: `${MARKER} pending title`,
      body: `${MARKER} pending body`,
      summary: `${MARKER} pending summary`,
      publishAt: SCHEDULE.publishAt,
    },
  } as never)

  await documents('api::member-agency.member-agency').update({
    documentId: esa!.documentId,
    data: { logo: image.id },
    status: 'published',
  } as never)

  const home = await documents('api::homepage.homepage').findFirst({
    populate: {
      featuredPublications: {
        fields: ['documentId'],
      },
    },
  } as never)
  const featured = ((home as { featuredPublications?: { documentId: string }[] }).featuredPublications ?? []).map(p => p.documentId)
  await documents('api::homepage.homepage').update({
    documentId: home!.documentId,
    data: {
      featuredPublications: [...featured, membersPublication.documentId, draftPublication.documentId],
    },
    status: 'published',
  } as never)
  const settings = await documents('api::site-setting.site-setting').findFirst({})
  await documents('api::site-setting.site-setting').update({
    documentId: settings!.documentId,
    data: { brochure: pdf.id },
    status: 'published',
  } as never)

  // news notifications: never readable outside the admin, by anyone (docs/notifications.md)
  const subscriber = await documents('api::subscriber.subscriber').create({
    data: {
      email: `${MARKER}-subscriber@example.org`,
      subscription: 'confirmed',
      allNews: false,
      topics: [lunar!.documentId],
      subjectRef: `${MARKER}subjectref000000000`,
      policyVersion: '2026-01-15',
    },
  } as never)
  const mailing = await documents('api::news-mailing.news-mailing').create({
    data: { articleDocumentId: membersNews.documentId, title: `${MARKER} mailing`, recipients: 1 },
  } as never)

  const hidden = [
    subscriber,
    mailing,
    membersNews,
    membersPublication,
    memberDocument,
    draftNews,
    draftPublication,
    draftTopic,
    draftMemberDocument,
  ]
  const draftOnly = [
    draftNews,
    draftPublication,
    draftTopic,
    draftMemberDocument,
  ]
  return {
    secrets: [
      MARKER,
      ...Object.values(SCHEDULE),
      ...hidden.map(entry => entry.documentId as string),
    ],
    draftSecrets: [
      // not drafts, but no caller outside the admin may receive them either
      `${MARKER}-subscriber`,
      `${MARKER} mailing`,
      `${MARKER} pending`,
      `${MARKER} draft`,
      `${MARKER}-draft`,
      ...Object.values(SCHEDULE),
      ...draftOnly.map(entry => entry.documentId as string),
    ],
    publicArticle: { documentId: publicArticle.documentId, slug: publicArticle.slug as string },
    hiddenOnlyTopic: hiddenOnlyTopic.slug as string,
    emptyTopic: emptyTopic.slug as string,
    imageId: image.id,
    pdfId: pdf.id,
    async remove() {
      // an erasure: the ledger keeps an anonymised `erased` event, unreadable like the rest
      await documents('api::subscriber.subscriber').delete({ documentId: subscriber.documentId } as never)
      await documents('api::news-mailing.news-mailing').delete({ documentId: mailing.documentId } as never)
      await news.delete({ documentId: membersNews.documentId } as never)
      await news.delete({ documentId: draftNews.documentId } as never)
      await publications.delete({ documentId: membersPublication.documentId } as never)
      await publications.delete({ documentId: draftPublication.documentId } as never)
      await topics.delete({ documentId: draftTopic.documentId } as never)
      await memberDocuments.delete({ documentId: memberDocument.documentId } as never)
      await memberDocuments.delete({ documentId: draftMemberDocument.documentId } as never)
      await news.discardDraft({ documentId: publicArticle.documentId } as never)
    },
  }
}
