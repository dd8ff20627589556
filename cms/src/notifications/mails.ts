/**
 * The mails of a subscription request (docs/notifications.md): the confirmation mail (double
 * opt-in) and, for an address already subscribed, a mail with its preferences link instead (so
 * that nobody changes someone else's choice without their mailbox). Rendered like the Private
 * Area's mails (src/private-area/mail.ts); From and Reply-To from the site settings (sender.ts).
 */
import type { Core } from '@strapi/strapi'
import type { MailContent } from '../private-area/mail'
import { renderHtml, renderText } from '../private-area/mail'
import { siteUrl } from '../private-area/site'
import { mailSender } from './sender'

export function confirmationMail(email: string, token: string): MailContent {
  return {
    to: email,
    subject: 'Confirm your subscription to ISECG news',
    greeting: 'Hello,',
    paragraphs: [
      'Someone, probably you, asked to receive a mail from the International Space Exploration Coordination Group when ISECG publishes news.',
      'Confirm your subscription with the button below. Until you do, we send you nothing else.',
    ],
    action: {
      label: 'Confirm my subscription',
      url: `${siteUrl()}/subscribe/confirm/${token}`,
    },
    notes: [
      'This link expires in 7 days. Only the latest link we sent you works: if you asked more than once, use the most recent mail.',
      'If you did not ask for this, ignore this mail: you will not be subscribed, and your address is deleted after 30 days.',
    ],
  }
}

export function alreadySubscribedMail(email: string, manageToken: string): MailContent {
  return {
    to: email,
    subject: 'You are already subscribed to ISECG news',
    greeting: 'Hello,',
    paragraphs: [
      'Someone, probably you, asked to subscribe this address to ISECG news. It is already subscribed, so nothing has changed.',
      'To change the news you receive, or to unsubscribe, open your preferences.',
    ],
    action: {
      label: 'Open my preferences',
      url: `${siteUrl()}/subscribe/preferences/${manageToken}`,
    },
    notes: [
      'If you did not ask for this, ignore this mail: your subscription stays as it is.',
    ],
  }
}

export async function sendNotificationMail(strapi: Core.Strapi, mail: MailContent): Promise<void> {
  const sender = await mailSender(strapi)
  await strapi.plugin('email').service('email').send({
    to: mail.to,
    ...sender,
    subject: mail.subject,
    text: renderText(mail),
    html: renderHtml(mail),
  })
}
