// An SMTP server that accepts and counts every mail, for scripts/bench-mail.mjs, in a process of
// its own so that its work is not counted as the CMS's. Started with fork(): sends { port } once
// listening and answers { count } to any message.
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

// smtp-server is a dependency of the CMS's tests
const require = createRequire(join(dirname(fileURLToPath(import.meta.url)), '../../cms/package.json'))
const { SMTPServer } = require('smtp-server')

let count = 0
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  closeTimeout: 100,
  onData(stream, _session, callback) {
    stream.on('data', () => {})
    stream.on('end', () => {
      count += 1
      callback()
    })
  },
})
server.listen(0, '127.0.0.1', () => process.send({ port: server.server.address().port }))
process.on('message', () => process.send({ count }))
process.on('disconnect', () => server.close(() => process.exit(0)))
