import type { Core } from '@strapi/strapi'

const DEFAULT_FROM = 'ISECG Secretariat <no-reply@isecg.local>'

export default ({ env }: Core.Config.Shared.ConfigParams) => {
  const production = env('NODE_ENV') === 'production'
  // an empty value in .env means "not set"
  const setting = (name: string) => env(name, '').trim()
  const from = setting('MAIL_FROM') || DEFAULT_FROM
  const username = setting('SMTP_USERNAME')
  return {
    'users-permissions': {
      config: {
        jwtSecret: env('JWT_SECRET'),
        jwt: { expiresIn: '7d' },
        // members are invited by the secretariat; see src/bootstrap/permissions.ts
        register: { allowedFields: [] },
      },
    },
    // Members' invitation and password-reset mails (src/private-area/mail.ts), SMTP_* in
    // cms/.env.example. Outside production the defaults reach MailDev (`pnpm dev`: SMTP on
    // localhost:1025, inbox on http://localhost:1080).
    'email': {
      config: {
        provider: 'nodemailer',
        providerOptions: {
          host: setting('SMTP_HOST') || (production
            ? undefined
            : 'localhost'),
          port: Number(setting('SMTP_PORT')) || (production
            ? 587
            : 1025),
          secure: env.bool('SMTP_SECURE', false),
          // news notifications send thousands of mails: reuse a few open connections
          pool: true,
          maxConnections: Number(setting('SMTP_MAX_CONNECTIONS')) || 8,
          maxMessages: Number(setting('SMTP_MAX_MESSAGES')) || 1000,
          ...(username
            ? {
                auth: {
                  user: username,
                  pass: env('SMTP_PASSWORD', ''),
                },
              }
            : {}),
        },
        settings: {
          defaultFrom: from,
          defaultReplyTo: setting('MAIL_REPLY_TO') || from,
        },
      },
    },
  }
}
