/**
 * Development convenience: when no admin exists yet and ADMIN_EMAIL / ADMIN_PASSWORD are set
 * (scripts/ensure-env.mjs writes them into the untracked .env on first run), create that admin.
 * Never in production (NODE_ENV=production): there the first admin registers in the admin panel.
 */
import type { Core } from '@strapi/strapi'

export async function ensureAdminUser(strapi: Core.Strapi) {
  const email = process.env.ADMIN_EMAIL
  const password = process.env.ADMIN_PASSWORD
  if (!email || !password || process.env.NODE_ENV === 'production')
    return
  const users = strapi.service('admin::user')
  if (await users.exists())
    return
  const superAdmin = await strapi.service('admin::role').getSuperAdmin()
  if (!superAdmin)
    return
  await users.create({
    email: email.toLowerCase(),
    firstname: 'ISECG',
    lastname: 'Secretariat',
    password,
    isActive: true,
    registrationToken: null,
    roles: [superAdmin.id],
  })
  strapi.log.info(`admin: created super admin ${email}`)
}
