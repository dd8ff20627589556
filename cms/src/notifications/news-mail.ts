/**
 * The news notification mail (docs/notifications.md, "Sending"): HTML and plain text in the Private
 * Area's layout (../private-area/mail.ts), the article's title, date, summary and canonical link
 * on the site, why the person gets it, their preferences and unsubscribe links, and the headers
 * mail clients use for one-click unsubscribe (RFC 2369, RFC 8058). No remote images, no tracking.
 */
import type { MailContent } from '../private-area/mail'
import type { Sender } from './sender'
import { renderHtml, renderText } from '../private-area/mail'
import { siteUrl } from '../private-area/site'
import { manageToken } from './links'

export interface NewsArticle {
  documentId: string
  title: string
  slug: string
  date?: string | null
  summary?: string | null
}

export interface NewsRecipient {
  id: number
  email: string
  subjectRef: string
  allNews: boolean
  /** titles of the topics the person chose */
  topics: string[]
}

export interface NewsMessage {
  to: string
  from?: string
  replyTo?: string
  subject: string
  text: string
  html: string
  messageId: string
  headers: Record<string, string>
}

/** The bare address of "Name <address>" (or the value itself). */
export function bareAddress(value: string | undefined): string | undefined {
  if (!value)
    return undefined
  const match = /<([^\s<>][^\s<>@]*@[^\s<>]+)>/.exec(value)
  const address = (match?.[1] ?? value).trim()
  return /^[^\s@<>]+@[^\s@<>]+$/.test(address)
    ? address
    : undefined
}

/** `<news-<article>-<subscriber>@<site host>>`: the same on every attempt, so duplicates can be dropped. */
export function newsMessageId(articleDocumentId: string, subscriberId: number): string {
  return `<news-${articleDocumentId}-${subscriberId}@${new URL(siteUrl()).hostname}>`
}

function formatDate(value: string | null | undefined): string | undefined {
  if (!value)
    return undefined
  const date = new Date(`${value.slice(0, 10)}T00:00:00Z`)
  return Number.isNaN(date.getTime())
    ? undefined
    : date.toLocaleDateString('en-GB', {
        day: 'numeric',
        month: 'long',
        year: 'numeric',
        timeZone: 'UTC',
      })
}

function reason(recipient: NewsRecipient): string {
  if (recipient.allNews || !recipient.topics.length)
    return 'You receive this mail because you subscribed to all ISECG news.'
  return `You receive this mail because you subscribed to ISECG news about: ${recipient.topics.join(', ')}.`
}

/**
 * The mail for one recipient. `unsubscribeAddress` receives the mailto unsubscribe requests
 * (MAIL_UNSUBSCRIBE, else the Reply-To or From address).
 */
export function newsMail(article: NewsArticle, recipient: NewsRecipient, sender: Sender, unsubscribeAddress: string | undefined, messageId?: string | null): NewsMessage {
  const site = siteUrl()
  const token = manageToken(recipient.subjectRef)
  const articleUrl = `${site}/news/${encodeURIComponent(article.slug)}`
  const preferencesUrl = `${site}/subscribe/preferences/${token}`
  const unsubscribeUrl = `${site}/subscribe/unsubscribe/${token}`
  const content: MailContent = {
    to: recipient.email,
    subject: `ISECG news: ${article.title}`,
    heading: article.title,
    meta: formatDate(article.date),
    paragraphs: article.summary
      ? [article.summary]
      : [],
    action: { label: 'Read the article', url: articleUrl },
    notes: [],
    footer: {
      lines: [
        reason(recipient),
      ],
      links: [
        { label: 'Change your preferences', url: preferencesUrl },
        { label: 'Unsubscribe', url: unsubscribeUrl },
      ],
    },
  }
  const listUnsubscribe = [`<${unsubscribeUrl}>`]
  if (unsubscribeAddress)
    listUnsubscribe.push(`<mailto:${unsubscribeAddress}?subject=unsubscribe%20${token}>`)
  return {
    to: recipient.email,
    ...sender,
    subject: content.subject.replace(/[\r\n]+/g, ' '),
    text: renderText(content),
    html: renderHtml(content),
    messageId: messageId ?? newsMessageId(article.documentId, recipient.id),
    headers: {
      'List-Unsubscribe': listUnsubscribe.join(', '),
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  }
}
