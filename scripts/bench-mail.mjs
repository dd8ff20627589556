// `pnpm bench:mail`: how fast the CMS mails a news article to its subscribers, and how much memory
// it takes doing so. For each N (default 2,000 and 10,000; `--sizes 500,5000` to choose): the
// compiled CMS (cms/dist, built when missing or older than the sources) in production mode on a
// new temporary SQLite file, an SMTP server that accepts and counts (scripts/lib/smtp-sink.mjs, its
// own process), N confirmed all-news subscribers added in batched inserts, one article published;
// then it waits until the article's news mailing is done and the sink counted N mails. Prints mails
// per second (from publication to the last mail) and the CMS's peak resident memory (VmHWM) side
// by side: the rate should not drop with N and the memory should stay flat (the outbox is read in
// batches, never whole).
import { fork } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { compileCms, root, startCmsInstance } from './lib/cms-instance.mjs'

const args = process.argv.slice(2)
const sizesArg = args[args.indexOf('--sizes') + 1]
const sizes = (args.includes('--sizes') && sizesArg
  ? sizesArg
  : '2000,10000').split(',').map(Number).filter(n => n > 0)

function sinkCount(sink) {
  return new Promise((resolve) => {
    sink.once('message', message => resolve(message.count))
    sink.send('count')
  })
}

/** Peak and current resident memory of a process, in MiB (Linux). */
function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const field = name => Number((new RegExp(`${name}:\\s+(\\d+) kB`).exec(status) ?? [])[1] ?? 0) / 1024
  return {
    peak: field('VmHWM'),
    now: field('VmRSS'),
  }
}

async function run(n) {
  const dir = mkdtempSync(join(tmpdir(), 'isecg-bench-mail-'))
  const sink = fork(join(root, 'scripts/lib/smtp-sink.mjs'), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const { port } = await new Promise(resolve => sink.once('message', resolve))
  const cms = await startCmsInstance({
    // e.g. BENCH_CMS_NODE_OPTIONS=--max-old-space-size=256: does the CMS get by with a capped heap?
    ...(process.env.BENCH_CMS_NODE_OPTIONS
      ? { NODE_OPTIONS: process.env.BENCH_CMS_NODE_OPTIONS }
      : {}),
    DATABASE_CLIENT: 'sqlite',
    DATABASE_FILENAME: join(dir, 'data.db'),
    SEED_ON_EMPTY: 'false',
    SITE_URL: 'https://isecg.example',
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(port),
    MAIL_FROM: 'ISECG Secretariat <news@isecg.example>',
  })
  try {
    const call = cms.call
    await call('subscribers', { count: n })
    const before = memory(cms.child.pid)
    const started = performance.now()
    const documentId = await call('publish')
    let mailing
    for (;;) {
      mailing = await call('mailing', { documentId })
      if (process.env.BENCH_VERBOSE)
        console.log(JSON.stringify(mailing), await sinkCount(sink))
      if (mailing?.progress === 'done')
        break
      await new Promise(resolve => setTimeout(resolve, 100))
    }
    const seconds = (performance.now() - started) / 1000
    const delivered = await sinkCount(sink)
    const after = memory(cms.child.pid)
    return {
      n,
      seconds,
      delivered,
      sent: mailing.sent,
      failed: mailing.failed,
      rssBefore: before.now,
      peak: after.peak,
    }
  }
  finally {
    await cms.stop()
    sink.disconnect()
    rmSync(dir, { recursive: true, force: true })
  }
}

compileCms('bench:mail')
const results = []
for (const n of sizes) {
  console.log(`bench:mail: ${n} subscribers…`)
  results.push(await run(n))
}
const row = (label, format) => console.log(`${label.padEnd(26)}${results.map(result => format(result).padStart(14)).join('')}`)
console.log('')
row('subscribers', r => r.n.toLocaleString('en-GB'))
row('mails delivered (sink)', r => r.delivered.toLocaleString('en-GB'))
row('sent / failed (mailing)', r => `${r.sent} / ${r.failed}`)
row('time to last mail', r => `${r.seconds.toFixed(1)} s`)
row('mails per second', r => (r.delivered / r.seconds).toFixed(0))
row('CMS RSS before publishing', r => `${r.rssBefore.toFixed(0)} MiB`)
row('CMS peak RSS (VmHWM)', r => `${r.peak.toFixed(0)} MiB`)
const failed = results.some(r => r.delivered !== r.n)
if (failed)
  console.error('bench:mail: not every mail was delivered')
process.exit(failed
  ? 1
  : 0)
