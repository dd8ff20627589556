/**
 * Admin panel customisation: an "Export data" action on a subscriber's edit view (docs/notifications.md,
 * "Editors"), which downloads what the CMS holds about that person as JSON from the admin route
 * GET /isecg/subscribers/:documentId/export (src/notifications/admin.ts; it checks the read
 * permission on subscribers itself).
 */
import type { StrapiApp } from '@strapi/strapi/admin'
import { useFetchClient, useNotification } from '@strapi/strapi/admin'
import { SchedulePanel } from './schedule-panel'

const SUBSCRIBER_UID = 'api::subscriber.subscriber'

interface ActionProps {
  model: string
  documentId?: string
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
    contentManager.apis.addDocumentAction(actions => [...actions, ExportSubscriberAction])
    // news articles and publications: what Publish at / Unpublish at will do (docs/scheduling.md)
    contentManager.apis.addEditViewSidePanel([SchedulePanel])
  },
}
