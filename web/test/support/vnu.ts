/**
 * The W3C Nu HTML Checker (vnu.jar from the `vnu-jar` package) run on HTML documents with the
 * system's Java (JAVA, default `java` on PATH). All documents go to one `java -jar` invocation: the
 * JVM takes seconds to start, the checking itself is fast.
 *
 *   const errors = await checkHtml([{ name: 'home', html }])
 *   expect(errors.map(formatVnuMessage)).toEqual([])
 */
import { execFile, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { webDir } from './paths'

const require = createRequire(`${webDir}/package.json`)
/** vnu-jar's main export is the path of vnu.jar (a String object). */
export const vnuJar = String(require('vnu-jar'))

export const javaCommand = process.env.JAVA || 'java'

/** Whether `java` runs here (scripts/test.mjs installs it; outside CI the checks skip without it). */
export const javaAvailable = () => spawnSync(javaCommand, ['-version'], { stdio: 'ignore' }).status === 0

export interface VnuMessage {
  /** the document's name as given to checkHtml */
  document: string
  type: string
  subType?: string
  message: string
  lastLine?: number
  firstColumn?: number
  lastColumn?: number
  extract?: string
}

/**
 * Messages the checker gives that are wrong about valid HTML (checker bugs), matched exactly.
 * Each needs a comment with the reason and a link to the checker's issue. Empty: nothing of the
 * site's output is filtered.
 */
export const KNOWN_CHECKER_BUGS: readonly string[] = []

/** Checks the documents and returns the checker's errors (warnings are not asked for). */
export async function checkHtml(documents: { name: string, html: string }[]): Promise<VnuMessage[]> {
  const dir = mkdtempSync(join(tmpdir(), 'isecg-vnu-'))
  try {
    const files = documents.map(({ name, html }, index) => {
      const file = join(dir, `${String(index).padStart(2, '0')}-${name.replace(/[^\w-]+/g, '_')}.html`)
      writeFileSync(file, html)
      return { file, name }
    })
    const output = await new Promise<string>((resolve, reject) => {
      execFile(
        javaCommand,
        [
          '-jar',
          vnuJar,
          '--format',
          'json',
          '--errors-only',
          '--exit-zero-always',
          ...files.map(f => f.file),
        ],
        { maxBuffer: 64 * 1024 * 1024 },
        (error, _stdout, stderr) => {
          if (error)
            reject(new Error(`could not run the Nu HTML Checker (\`${javaCommand} -jar ${vnuJar}\`): ${error.message}\n${stderr}`))
          else resolve(stderr)
        },
      )
    })
    const { messages } = JSON.parse(output) as { messages: (Omit<VnuMessage, 'document'> & { url?: string })[] }
    const nameOf = new Map(files.map(({ file, name }) => [
      basename(file),
      name,
    ]))
    return messages
      .filter(message => message.type !== 'info' && !KNOWN_CHECKER_BUGS.includes(message.message))
      .map(({ url, ...message }) => ({ document: nameOf.get(basename(decodeURIComponent(url ?? ''))) ?? url ?? '?', ...message }))
  }
  finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** One line per message: where, what, and the markup around it. */
export function formatVnuMessage(message: VnuMessage): string {
  const where = message.lastLine
    ? `:${message.lastLine}:${message.firstColumn ?? message.lastColumn ?? ''}`
    : ''
  const extract = message.extract
    ? `\n    ${message.extract.replace(/\s+/g, ' ').trim().slice(0, 240)}`
    : ''
  return `${message.document}${where} ${message.type}${message.subType
    ? `/${message.subType}`
    : ''}: ${message.message}${extract}`
}
