import type { Core } from '@strapi/strapi'
import { ensureAdminUser } from './bootstrap/admin-user'
import { setEditorLabels } from './bootstrap/editor-labels'
import { setListViews } from './bootstrap/list-views'
import { setPermissions } from './bootstrap/permissions'
import { registerContentApiGuard } from './content-api/guard'
import { seedIfEmpty } from './seed'

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    registerContentApiGuard(strapi)
  },

  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    await setPermissions(strapi)
    await ensureAdminUser(strapi)
    await setEditorLabels(strapi)
    await setListViews(strapi)
    if (process.env.SEED_ON_EMPTY !== 'false')
      await seedIfEmpty(strapi)
  },
}
