/**
 * The mails of the Private Area (invitation, password reset), in HTML and plain text, branded like
 * the site (navy header "ISECG"), sent through Strapi's email plugin (config/plugins.ts: nodemailer
 * with the SMTP_* settings). Links always point at the site (SITE_URL), never at the CMS.
 */
import type { Core } from '@strapi/strapi'
import { siteUrl } from './site'

const NAVY = '#0b1f3a'

export interface MailContent {
  to: string
  subject: string
  /** a heading above the text (e.g. a news article's title) */
  heading?: string
  /** a short line under the heading (e.g. a date) */
  meta?: string
  /** omitted in mails that open with a heading instead */
  greeting?: string
  paragraphs: string[]
  action: { label: string, url: string }
  notes: string[]
  /** the footer's own lines (why the mail was sent) and links (preferences, unsubscribe) */
  footer?: { lines: string[], links: Array<{ label: string, url: string }> }
}

export function escapeHtml(text: string) {
  return text.replace(/[&<>"']/g, char => ({
    '&': '&amp;',
    '<': '&lt;',
    '>': '&gt;',
    '"': '&quot;',
    '\'': '&#39;',
  }[char]!))
}

export function renderText(mail: MailContent): string {
  return [
    'ISECG - International Space Exploration Coordination Group',
    '',
    ...(mail.heading
      ? [
          mail.heading,
          ...(mail.meta
            ? [mail.meta]
            : []),
          '',
        ]
      : []),
    ...(mail.greeting
      ? [mail.greeting, '']
      : []),
    ...mail.paragraphs.flatMap(paragraph => [paragraph, '']),
    `${mail.action.label}:`,
    mail.action.url,
    '',
    ...mail.notes.flatMap(note => [note, '']),
    '--',
    `ISECG Secretariat - ${siteUrl()}`,
    ...(mail.footer
      ? [
          '',
          ...mail.footer.lines,
          ...mail.footer.links.map(link => `${link.label}: ${link.url}`),
        ]
      : []),
    '',
  ].join('\n')
}

export function renderHtml(mail: MailContent): string {
  const paragraph = (text: string, style = '') => `<p style="margin:0 0 16px;${style}">${escapeHtml(text)}</p>`
  const url = escapeHtml(mail.action.url)
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(mail.subject)}</title></head>
<body style="margin:0;padding:0;background:#f4f6f9;font-family:Arial,Helvetica,sans-serif;color:#1a2433;line-height:1.5">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f6f9;padding:24px 0">
<tr><td align="center">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" style="max-width:600px;width:100%;background:#ffffff">
<tr><td style="background:${NAVY};padding:20px 32px">
<span style="color:#ffffff;font-size:24px;font-weight:bold;letter-spacing:2px">ISECG</span>
<span style="color:#c7d2e3;font-size:13px;padding-left:12px">International Space Exploration Coordination Group</span>
</td></tr>
<tr><td style="padding:32px">
${mail.heading
  ? `<h1 style="margin:0 0 8px;font-size:22px;line-height:1.3;color:${NAVY}">${escapeHtml(mail.heading)}</h1>`
  : ''}
${mail.meta
  ? paragraph(mail.meta, 'font-size:13px;color:#4a5568')
  : ''}
${mail.greeting
  ? paragraph(mail.greeting)
  : ''}
${mail.paragraphs.map(text => paragraph(text)).join('\n')}
<p style="margin:24px 0"><a href="${url}" style="display:inline-block;background:${NAVY};color:#ffffff;text-decoration:none;padding:12px 24px;border-radius:4px;font-weight:bold">${escapeHtml(mail.action.label)}</a></p>
${paragraph('If the button does not work, copy this address into your browser:', 'font-size:13px;color:#4a5568')}
<p style="margin:0 0 16px;font-size:13px;word-break:break-all"><a href="${url}" style="color:${NAVY}">${url}</a></p>
${mail.notes.map(text => paragraph(text, 'font-size:13px;color:#4a5568')).join('\n')}
</td></tr>
<tr><td style="border-top:1px solid #e2e8f0;padding:16px 32px;font-size:12px;color:#4a5568">ISECG Secretariat &middot; <a href="${escapeHtml(siteUrl())}" style="color:${NAVY}">${escapeHtml(siteUrl())}</a>${mail.footer
  ? [
      ...mail.footer.lines.map(line => `<br>${escapeHtml(line)}`),
      `<br>${mail.footer.links.map(link => `<a href="${escapeHtml(link.url)}" style="color:${NAVY}">${escapeHtml(link.label)}</a>`).join(' &middot; ')}`,
    ].join('')
  : ''}</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`
}

export async function sendMail(strapi: Core.Strapi, mail: MailContent): Promise<void> {
  await strapi.plugin('email').service('email').send({
    to: mail.to,
    subject: mail.subject,
    text: renderText(mail),
    html: renderHtml(mail),
  })
}

interface Recipient {
  email: string
  fullName?: string | null
  agency?: { name: string } | null
}

function greet(user: Recipient) {
  return user.fullName
    ? `Dear ${user.fullName},`
    : 'Hello,'
}

export function invitationMail(user: Recipient, token: string): MailContent {
  const agency = user.agency?.name
    ? ` as a member of ${user.agency.name}`
    : ''
  return {
    to: user.email,
    subject: 'Your invitation to the ISECG Private Area',
    greeting: greet(user),
    paragraphs: [
      `The ISECG Secretariat has invited you${agency} to the ISECG Private Area, where member agencies read members-only news, publications and working documents.`,
      'Choose a password to activate your account. You will then sign in with this email address and that password.',
    ],
    action: {
      label: 'Set your password',
      url: `${siteUrl()}/private-area/invitation/${token}`,
    },
    notes: [
      'This link can be used once and expires in 7 days. If it has expired, ask the Secretariat for a new invitation.',
      'If you did not expect this invitation, you can ignore this mail.',
    ],
  }
}

export function resetMail(user: Recipient, token: string): MailContent {
  return {
    to: user.email,
    subject: 'Reset your ISECG Private Area password',
    greeting: greet(user),
    paragraphs: [
      'Someone, probably you, asked to reset the password of your ISECG Private Area account.',
      'Choose a new password with the link below. Once you have, every device signed in to your account is signed out.',
    ],
    action: {
      label: 'Choose a new password',
      url: `${siteUrl()}/private-area/reset-password/${token}`,
    },
    notes: [
      'This link can be used once and expires in 1 hour.',
      'If you did not ask for this, ignore this mail: your password stays as it is.',
    ],
  }
}
