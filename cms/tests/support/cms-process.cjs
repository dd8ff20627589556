// A second CMS instance in its own process (the compiled app in cms/dist), for tests in which two
// instances share one database. Configured by the environment it is given; prints "ready" on
// stdout once started, stops cleanly on SIGTERM.
const { join } = require('node:path')
const { createStrapi } = require('@strapi/strapi')

const cmsDir = join(__dirname, '..', '..')
const strapi = createStrapi({
  appDir: cmsDir,
  distDir: join(cmsDir, 'dist'),
  autoReload: false,
  serveAdminPanel: false,
})
strapi.log.level = 'warn'
strapi.load().then(() => {
  process.stdout.write('ready\n')
  process.on('SIGTERM', () => {
    strapi.destroy().then(() => process.exit(0), () => process.exit(1))
  })
}, (error) => {
  console.error(error)
  process.exit(1)
})
