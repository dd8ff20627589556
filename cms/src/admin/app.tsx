/**
 * Admin panel customisation: an "Export data" action on a subscriber's edit view (docs/notifications.md,
 * "Editors"), which downloads what the CMS holds about that person as JSON from the admin route
 * GET /isecg/subscribers/:documentId/export (src/notifications/admin.ts; it checks the read
 * permission on subscribers itself), and a "Show signing secret (once)" action on an agency
 * webhook's edit view.
 */
import type { StrapiApp } from '@strapi/strapi/admin'
import { useFetchClient, useNotification } from '@strapi/strapi/admin'
import { useState } from 'react'
import { SchedulePanel } from './schedule-panel'

const SUBSCRIBER_UID = 'api::subscriber.subscriber'
const AGENCY_WEBHOOK_UID = 'api::agency-webhook.agency-webhook'

interface ActionProps {
  model: string
  documentId?: string
  document?: Record<string, unknown>
}

function download(name: string, data: unknown) {
  const blob = new Blob([`${JSON.stringify(data, null, 2)}\n`], { type: 'application/json' })
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = name
  document.body.append(link)
  link.click()
  link.remove()
  URL.revokeObjectURL(url)
}

function ExportSubscriberAction({ model, documentId }: ActionProps) {
  const { get } = useFetchClient()
  const { toggleNotification } = useNotification()
  if (model !== SUBSCRIBER_UID || !documentId)
    return null
  return {
    label: 'Export data',
    position: 'panel' as const,
    onClick: async () => {
      try {
        const { data } = await get(`/isecg/subscribers/${documentId}/export`)
        download(`subscriber-${(data as { subscriber?: { subjectRef?: string } }).subscriber?.subjectRef ?? documentId}.json`, data)
      }
      catch {
        toggleNotification({ type: 'danger', message: 'The subscriber\'s data could not be exported.' })
      }
    },
  }
}

/**
 * "Show signing secret" on an agency webhook's edit view (README "Webhooks for agencies"): asks
 * POST /isecg/agency-webhooks/:documentId/secret, which answers once (src/agency-webhooks), and
 * shows the secret in a dialog to copy to the agency.
 */
function ShowWebhookSecretAction({ model, documentId, document }: ActionProps) {
  const { post } = useFetchClient()
  const { toggleNotification } = useNotification()
  const [secret, setSecret] = useState<string | null>(null)
  if (model !== AGENCY_WEBHOOK_UID || !documentId)
    return null
  return {
    label: 'Show signing secret (once)',
    position: 'panel' as const,
    disabled: Boolean(document?.secretShownAt) && secret === null,
    onClick: async () => {
      try {
        const { data } = await post(`/isecg/agency-webhooks/${documentId}/secret`)
        setSecret((data as { data: { secret: string } }).data.secret)
        return false
      }
      catch {
        toggleNotification({ type: 'danger', message: 'The signing secret was shown already: it is never shown again. Delete the endpoint and register it anew for a new secret.' })
        return true
      }
    },
    dialog: {
      type: 'dialog' as const,
      title: 'Signing secret',
      content: (
        <div>
          <p>Give this secret to the agency now (it verifies the webhook-signature header). It is not shown again.</p>
          <pre style={{ userSelect: 'all', whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{secret ?? ''}</pre>
        </div>
      ),
    },
  }
}

export default {
  config: {
    locales: [],
  },
  bootstrap(app: StrapiApp) {
    const contentManager = app.getPlugin('content-manager') as unknown as {
      apis: {
        addDocumentAction: (reducer: (actions: unknown[]) => unknown[]) => void
        addEditViewSidePanel: (panels: unknown[]) => void
      }
    }
    contentManager.apis.addDocumentAction(actions => [...actions, ExportSubscriberAction, ShowWebhookSecretAction])
    // news articles and publications: what Publish at / Unpublish at will do (docs/scheduling.md)
    contentManager.apis.addEditViewSidePanel([SchedulePanel])
  },
}
