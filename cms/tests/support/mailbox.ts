/**
 * A real SMTP server in the test process (smtp-server), so that the CMS sends its mails through its
 * configured nodemailer transport exactly as in production; each mail is parsed (mailparser) and
 * kept with the envelope recipients.
 */
import type { ParsedMail } from 'mailparser'
import type { AddressInfo } from 'node:net'
import { simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'

export interface ReceivedMail {
  to: string[]
  mail: ParsedMail
}

/**
 * A scripted answer to RCPT TO: a reply code (e.g. 451 temporary, 550 permanent) to refuse the
 * recipient with, or undefined to accept. `attempt` counts this address's RCPT commands from 1.
 */
export type Script = (recipient: string, attempt: number) => number | undefined | Promise<number | undefined>

export interface Mailbox {
  port: number
  /** the current script (none: every recipient accepted) */
  script: Script | undefined
  /** delay before accepting each message's data, in milliseconds (a slow server) */
  delayMs: number
  /** RCPT commands seen per address (accepted or not) */
  attempts: Map<string, number>
  received: ReceivedMail[]
  /** mails received so far for an address */
  to: (address: string) => ReceivedMail[]
  /** waits for the `index`-th mail (0-based) to an address */
  waitFor: (address: string, index?: number, timeoutMs?: number) => Promise<ReceivedMail>
  close: () => Promise<void>
}

export async function startMailbox(): Promise<Mailbox> {
  const received: ReceivedMail[] = []
  let wake: Array<() => void> = []
  const attempts = new Map<string, number>()
  const state: { script: Script | undefined, delayMs: number } = { script: undefined, delayMs: 0 }
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    // the CMS's pool keeps connections open; a test's close should not wait for them
    closeTimeout: 100,
    onRcptTo(address, _session, callback) {
      const recipient = address.address.toLowerCase()
      const attempt = (attempts.get(recipient) ?? 0) + 1
      attempts.set(recipient, attempt)
      Promise.resolve(state.script?.(recipient, attempt)).then((code) => {
        if (code === undefined)
          return callback()
        const error = new Error(code >= 500
          ? `Mailbox unavailable (scripted ${code})`
          : `Try again later (scripted ${code})`) as Error & { responseCode: number }
        error.responseCode = code
        callback(error)
      }, callback)
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(async (mail) => {
        if (state.delayMs)
          await new Promise(resolve => setTimeout(resolve, state.delayMs))
        received.push({
          to: session.envelope.rcptTo.map(rcpt => rcpt.address.toLowerCase()),
          mail,
        })
        const waiting = wake
        wake = []
        for (const resolve of waiting) resolve()
        callback()
      }, callback)
    },
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.server.address() as AddressInfo
  const to = (address: string) => received.filter(item => item.to.includes(address.toLowerCase()))
  return {
    port,
    get script() {
      return state.script
    },
    set script(script: Script | undefined) {
      state.script = script
    },
    get delayMs() {
      return state.delayMs
    },
    set delayMs(ms: number) {
      state.delayMs = ms
    },
    attempts,
    received,
    to,
    async waitFor(address, index = 0, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs
      while (to(address).length <= index) {
        if (Date.now() > deadline)
          throw new Error(`no mail #${index + 1} to ${address} within ${timeoutMs} ms (got ${to(address).length})`)
        await new Promise<void>((resolve) => {
          wake.push(resolve)
          setTimeout(resolve, 200)
        })
      }
      return to(address)[index]!
    },
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  }
}

/** The site link of a kind (invitation, reset-password) in a mail's text, and its token. */
export function linkIn(item: ReceivedMail, kind: 'invitation' | 'reset-password'): { url: string, token: string } {
  const match = new RegExp(`(https?://\\S+/private-area/${kind}/([\\w-]+))`).exec(item.mail.text ?? '')
  if (!match)
    throw new Error(`no ${kind} link in the mail "${item.mail.subject}"`)
  return { url: match[1]!, token: match[2]! }
}
