import type { Core } from '@strapi/strapi'

export default ({ env }: Core.Config.Shared.ConfigParams) => ({
  'users-permissions': {
    config: {
      jwtSecret: env('JWT_SECRET'),
      jwt: { expiresIn: '7d' },
      // members are invited by the secretariat; see src/bootstrap/permissions.ts
      register: { allowedFields: [] },
    },
  },
})
