// One CMS instance in its own process, from the compiled app (cms/dist), without an HTTP server:
// its bootstrap, worker and shutdown are the real ones. Used where a test or a benchmark needs a
// CMS beside its own process (cms/tests/notifications.test.ts: a second instance on one database;
// scripts/bench-mail.mjs: the CMS under measurement). Configured by its environment; prints
// "ready" on stdout once started and stops cleanly on SIGTERM. When started with an IPC channel it
// also answers the benchmark's requests: { id, cmd: 'subscribers', count } (adds that many
// confirmed all-news subscribers in batched inserts), { id, cmd: 'publish' } (publishes a public
// article, answers its documentId), { id, cmd: 'mailing', documentId } (its news mailing) and
// { id, cmd: 'scheduler' } (what its scheduler carried out: cms/tests/scheduling.test.ts);
// scripts/bench-publish.mjs: { id, cmd: 'latestNews' } (the newest public article's documentId and
// slug) and { id, cmd: 'retitle', documentId, title } (saves the title in the draft and publishes).
// With INSTANCE_PORT set it also serves HTTP on 127.0.0.1 at that port (the Content API for a site).
const { randomBytes } = require('node:crypto')
const { join } = require('node:path')
const { createStrapi } = require('@strapi/strapi')

const cmsDir = join(__dirname, '..')
const strapi = createStrapi({
  appDir: cmsDir,
  distDir: join(cmsDir, 'dist'),
  autoReload: false,
  serveAdminPanel: false,
})
strapi.log.level = 'warn'

const id = () => randomBytes(12).toString('hex')

async function addSubscribers(count) {
  const now = new Date()
  let added = 0
  while (added < count) {
    const size = Math.min(400, count - added)
    await strapi.db.query('api::subscriber.subscriber').createMany({
      data: Array.from({ length: size }, (_, index) => ({
        documentId: id(),
        email: `bench-${added + index}-${id().slice(0, 6)}@example.org`,
        subscription: 'confirmed',
        allNews: true,
        subjectRef: randomBytes(16).toString('base64url'),
        policyVersion: 'bench',
        requestedAt: now,
        confirmedAt: now,
        publishedAt: now,
      })),
    })
    added += size
  }
  return added
}

const commands = {
  subscribers: ({ count }) => addSubscribers(count),
  publish: async () => {
    const article = await strapi.documents('api::news-article.news-article').create({
      data: {
        title: 'Benchmark article',
        slug: `benchmark-${id()}`,
        date: '2026-05-04',
        summary: 'A mail benchmark.',
        visibility: 'public',
      },
      status: 'published',
    })
    return article.documentId
  },
  mailing: ({ documentId }) => strapi.db.query('api::news-mailing.news-mailing').findOne({
    where: { articleDocumentId: documentId },
  }),
  latestNews: async () => {
    const article = await strapi.documents('api::news-article.news-article').findFirst({
      status: 'published',
      filters: { visibility: 'public' },
      sort: [
        'date:desc',
        'id:desc',
      ],
    })
    return { documentId: article.documentId, slug: article.slug }
  },
  retitle: async ({ documentId, title }) => {
    const news = strapi.documents('api::news-article.news-article')
    await news.update({
      documentId,
      data: { title },
    })
    await news.publish({ documentId })
    return true
  },
  scheduler: () => require(join(cmsDir, 'dist/src/scheduling/index.js')).schedulerOf(strapi)?.stats,
}

strapi.load().then(async () => {
  if (process.env.INSTANCE_PORT) {
    await strapi.server.mount()
    await new Promise(resolve => strapi.server.httpServer.listen(Number(process.env.INSTANCE_PORT), '127.0.0.1', resolve))
  }
  process.stdout.write('ready\n')
  process.on('SIGTERM', () => {
    strapi.destroy().then(() => process.exit(0), () => process.exit(1))
  })
  process.on('message', (message) => {
    const command = commands[message?.cmd]
    Promise.resolve(command
      ? command(message)
      : Promise.reject(new Error(`unknown command ${message?.cmd}`))).then(
      result => process.send({ id: message.id, result }),
      error => process.send({
        id: message.id,
        error: String(error),
      }),
    )
  })
}, (error) => {
  console.error(error)
  process.exit(1)
})
