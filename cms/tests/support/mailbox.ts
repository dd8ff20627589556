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

export interface Mailbox {
  port: number
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
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream).then((mail) => {
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
