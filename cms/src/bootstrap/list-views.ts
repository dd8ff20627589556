/**
 * The admin's list views show what an editor needs to find an entry: its title, kind, date and
 * visibility (Strapi adds the draft/published status column itself), and for news and publications
 * what is scheduled (Publish at, Unpublish at; src/scheduling) instead of the last update (Strapi
 * writes dates in full: with both there is no room), newest first; members with their agency and
 * status; subscribers with their subscription; downloads newest first; agency webhooks with
 * their last delivery. The edit forms of news and
 * publications end with the two schedule fields side by side. Set on every start like the
 * permissions; running it twice changes nothing.
 */
import type { Core, UID } from '@strapi/strapi'
import { SCHEDULE_FIELDS, SCHEDULED_TYPES } from '../scheduling/schedule'

interface ListView {
  columns: string[]
  sortBy: string
  order: 'ASC' | 'DESC'
  mainField: string
}

const LIST_VIEWS: Record<string, ListView> = {
  'api::news-article.news-article': {
    columns: [
      'title',
      'date',
      'visibility',
      'publishAt',
      'unpublishAt',
    ],
    sortBy: 'date',
    order: 'DESC',
    mainField: 'title',
  },
  'api::publication.publication': {
    columns: [
      'title',
      'kind',
      'publicationDate',
      'visibility',
      'publishAt',
      'unpublishAt',
    ],
    sortBy: 'publicationDate',
    order: 'DESC',
    mainField: 'title',
  },
  'api::member-agency.member-agency': {
    columns: [
      'acronym',
      'name',
      'country',
      'yearJoined',
      'founder',
    ],
    sortBy: 'sortOrder',
    order: 'ASC',
    mainField: 'acronym',
  },
  'api::faq.faq': {
    columns: [
      'question',
      'category',
      'sortOrder',
      'updatedAt',
    ],
    sortBy: 'sortOrder',
    order: 'ASC',
    mainField: 'question',
  },
  'api::topic.topic': {
    columns: ['title', 'slug', 'updatedAt'],
    sortBy: 'title',
    order: 'ASC',
    mainField: 'title',
  },
  'api::member-document.member-document': {
    columns: [
      'title',
      'kind',
      'date',
      'workingGroup',
      'updatedAt',
    ],
    sortBy: 'date',
    order: 'DESC',
    mainField: 'title',
  },
  'plugin::users-permissions.user': {
    columns: [
      'email',
      'fullName',
      'agency',
      'memberStatus',
      'invitationSentAt',
    ],
    sortBy: 'email',
    order: 'ASC',
    mainField: 'email',
  },
  'api::member-download.member-download': {
    columns: [
      'downloadedAt',
      'user',
      'agency',
      'fileName',
      'documentTitle',
    ],
    sortBy: 'downloadedAt',
    order: 'DESC',
    mainField: 'fileName',
  },
  // news notifications (docs/notifications.md)
  'api::subscriber.subscriber': {
    columns: [
      'email',
      'subscription',
      'allNews',
      'confirmedAt',
    ],
    sortBy: 'email',
    order: 'ASC',
    mainField: 'email',
  },
  'api::consent-event.consent-event': {
    columns: [
      'occurredAt',
      'type',
      'source',
      'subjectRef',
    ],
    sortBy: 'occurredAt',
    order: 'DESC',
    mainField: 'subjectRef',
  },
  // agency webhooks (src/agency-webhooks): where each goes and how its deliveries fare
  'api::agency-webhook.agency-webhook': {
    columns: [
      'url',
      'enabled',
      'lastStatus',
      'consecutiveFailures',
      'lastDeliveredAt',
    ],
    sortBy: 'url',
    order: 'ASC',
    mainField: 'url',
  },
  'api::news-mailing.news-mailing': {
    columns: [
      'startedAt',
      'title',
      'progress',
      'recipients',
      'sent',
      'pending',
      'failed',
    ],
    sortBy: 'startedAt',
    order: 'DESC',
    mainField: 'title',
  },
}

type EditLayout = Array<Array<{ name: string, size: number }>>

const SCHEDULE_ROW = SCHEDULE_FIELDS.map(name => ({ name, size: 6 }))

/** The edit form with the schedule fields side by side on a row of their own, at the end unless such a row exists. */
function withScheduleRow(uid: string, edit: EditLayout | undefined): EditLayout | undefined {
  if (!edit || !(SCHEDULED_TYPES as readonly string[]).includes(uid))
    return edit
  if (edit.some(row => JSON.stringify(row) === JSON.stringify(SCHEDULE_ROW)))
    return edit
  const others = edit
    .map(row => row.filter(field => !(SCHEDULE_FIELDS as readonly string[]).includes(field.name)))
    .filter(row => row.length > 0)
  return [...others, SCHEDULE_ROW]
}

export async function setListViews(strapi: Core.Strapi) {
  const contentTypes = strapi.plugin('content-manager').service('content-types')
  for (const [uid, view] of Object.entries(LIST_VIEWS)) {
    const contentType = strapi.contentType(uid as UID.ContentType)
    const configuration = await contentTypes.findConfiguration(contentType)
    if (!configuration?.layouts)
      continue
    const settings = {
      ...configuration.settings,
      defaultSortBy: view.sortBy,
      defaultSortOrder: view.order,
      mainField: view.mainField,
    }
    const edit = withScheduleRow(uid, configuration.layouts.edit)
    const same
      = JSON.stringify(configuration.layouts.list) === JSON.stringify(view.columns)
        && edit === configuration.layouts.edit
        && configuration.settings?.defaultSortBy === view.sortBy
        && configuration.settings?.defaultSortOrder === view.order
        && configuration.settings?.mainField === view.mainField
    if (same)
      continue
    await contentTypes.updateConfiguration(contentType, {
      metadatas: configuration.metadatas,
      layouts: { ...configuration.layouts, list: view.columns, edit },
      settings,
    })
  }
}
