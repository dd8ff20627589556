import type { Core } from '@strapi/strapi'
import { registerAgencyWebhooks, startAgencyWebhooks, stopAgencyWebhooks } from './agency-webhooks'
import { setAdminRoles } from './bootstrap/admin-roles'
import { ensureAdminUser } from './bootstrap/admin-user'
import { setEditorAccess } from './bootstrap/editor-access'
import { setEditorLabels } from './bootstrap/editor-labels'
import { setListViews } from './bootstrap/list-views'
import { setMemberForms } from './bootstrap/member-forms'
import { setPermissions } from './bootstrap/permissions'
import { registerContentApiGuard } from './content-api/guard'
import { apiRateLimiter } from './content-api/rate-limit'
import { ensureResponseCache, registerResponseCacheInvalidation } from './content-api/response-cache'
import { registerExportRoute, registerSubscriberAdmin } from './notifications/admin'
import { registerLedgerGuard } from './notifications/ledger'
import { prepareNewsNotifications, registerNewsNotifications, startNewsNotifications, stopNewsNotifications } from './notifications/sending'
import { registerErasure, startPurge, stopPurge } from './notifications/subscriptions'
import { ensureDemoMember } from './private-area/demo-member'
import { registerFileDecisionInvalidation, subscribeToFileChanges } from './private-area/files'
import { registerMemberAccounts } from './private-area/members'
import { ensureRateLimitTable } from './private-area/rate-limit'
import { checkSiteSettings } from './private-area/site'
import { registerScheduling, startScheduling, stopScheduling } from './scheduling'
import { seedIfEmpty } from './seed'
import { registerSiteWebhooks, startSiteWebhooks, stopSiteWebhooks } from './site-webhook'

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    registerContentApiGuard(strapi)
    registerResponseCacheInvalidation(strapi)
    registerMemberAccounts(strapi)
    registerFileDecisionInvalidation(strapi)
    registerLedgerGuard(strapi)
    registerSubscriberAdmin(strapi)
    registerErasure(strapi)
    registerNewsNotifications(strapi)
    registerSiteWebhooks(strapi)
    registerAgencyWebhooks(strapi)
    registerScheduling(strapi)
  },

  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    checkSiteSettings(strapi)
    subscribeToFileChanges(strapi)
    await ensureRateLimitTable(strapi)
    await prepareNewsNotifications(strapi)
    await ensureResponseCache(strapi)
    await setPermissions(strapi)
    await ensureAdminUser(strapi)
    await setEditorLabels(strapi)
    await setListViews(strapi)
    await setMemberForms(strapi)
    await setEditorAccess(strapi)
    await setAdminRoles(strapi)
    if (process.env.SEED_ON_EMPTY !== 'false')
      await seedIfEmpty(strapi)
    await ensureDemoMember(strapi)
    registerExportRoute(strapi)
    // unconfirmed subscriptions older than 30 days: now and every hour, on every instance
    await startPurge(strapi)
    // after the seed: its articles are recorded as announced, never mailed
    await startNewsNotifications(strapi)
    // after the seed: the site's caches hold nothing of an empty database yet
    await startSiteWebhooks(strapi)
    // after the seed too: agencies hear of what editors publish, not of the seed
    await startAgencyWebhooks(strapi)
    // shares the REST API's rate-limit counters through the database (its table: ensureRateLimitTable)
    apiRateLimiter(strapi).start()
    // publish at / unpublish at: every SCHEDULER_INTERVAL_MS, on every instance
    startScheduling(strapi)
  },

  async destroy({ strapi }: { strapi: Core.Strapi }) {
    stopPurge(strapi)
    await stopScheduling(strapi)
    await stopNewsNotifications(strapi)
    await stopSiteWebhooks(strapi)
    await stopAgencyWebhooks(strapi)
    await apiRateLimiter(strapi).stop()
  },
}
