import type { Core } from '@strapi/strapi'

export default ({ env }: Core.Config.Shared.ConfigParams) => {
  const production = env('NODE_ENV') === 'production'
  const username = env('SMTP_USERNAME', '')
  return {
    'users-permissions': {
      config: {
        jwtSecret: env('JWT_SECRET'),
        jwt: { expiresIn: '7d' },
        // members are invited by the secretariat; see src/bootstrap/permissions.ts
        register: { allowedFields: [] },
      },
    },
    // Members' invitation and password-reset mails (src/private-area/mail.ts). Outside production
    // the defaults reach MailDev (pnpm dev: SMTP on localhost:1025, inbox on http://localhost:1080).
    'email': {
      config: {
        provider: 'nodemailer',
        providerOptions: {
          host: env('SMTP_HOST', production
            ? ''
            : 'localhost'),
          port: env.int('SMTP_PORT', production
            ? 587
            : 1025),
          secure: env.bool('SMTP_SECURE', false),
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
          defaultFrom: env('MAIL_FROM', 'ISECG Secretariat <no-reply@isecg.local>'),
          defaultReplyTo: env('MAIL_REPLY_TO', env('MAIL_FROM', 'ISECG Secretariat <no-reply@isecg.local>')),
        },
      },
    },
  }
}
