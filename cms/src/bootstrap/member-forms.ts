/**
 * The admin's forms for members and download records: what the CMS maintains is shown read-only,
 * and the fields an editor uses to invite, resend or block say what they do. Only labels still
 * equal to the raw attribute name and empty help texts are set, so editors' own changes in
 * "Configure the view" are kept; running it twice changes nothing.
 */
import type { Core, UID } from '@strapi/strapi'

interface Field {
  label?: string
  description?: string
  editable?: boolean
}

const FORMS: Record<string, Record<string, Field>> = {
  'plugin::users-permissions.user': {
    email: { description: 'The member signs in with this address; the invitation is mailed to it.' },
    fullName: { label: 'Full name' },
    agency: { description: 'Required: the member agency this person works for.' },
    password: { description: 'Leave empty: members choose their password from the invitation mail.' },
    memberStatus: {
      label: 'Member status',
      description: 'Set by the CMS: pending until the invitation is accepted, active, or blocked.',
      editable: false,
    },
    invitationSentAt: {
      label: 'Invitation sent at',
      description: 'When the last invitation mail was sent (empty: not sent, see the server log).',
      editable: false,
    },
    resendInvitation: {
      label: 'Resend invitation',
      description: 'Tick and save to mail a new invitation link; earlier links stop working.',
    },
    blocked: { description: 'Tick and save to sign the member out everywhere at once and refuse their sign-ins.' },
    confirmed: { description: 'Set by the CMS when the member accepts the invitation.', editable: false },
    role: { description: 'Members have the Authenticated role (set automatically).' },
  },
  'api::member-download.member-download': {
    downloadedAt: { label: 'Downloaded at', editable: false },
    user: { label: 'Member', editable: false },
    agency: { editable: false },
    fileName: { label: 'File', editable: false },
    documentTitle: { label: 'Document', editable: false },
    documentType: { label: 'Type', editable: false },
  },
}

export async function setMemberForms(strapi: Core.Strapi) {
  const contentTypes = strapi.plugin('content-manager').service('content-types')
  for (const [uid, fields] of Object.entries(FORMS)) {
    const contentType = strapi.contentType(uid as UID.ContentType)
    const configuration = await contentTypes.findConfiguration(contentType)
    if (!configuration?.metadatas)
      continue
    const metadatas = configuration.metadatas as Record<string, { edit?: Record<string, unknown>, list?: Record<string, unknown> }>
    let changed = false
    for (const [name, field] of Object.entries(fields)) {
      const metadata = metadatas[name]
      if (!metadata?.edit)
        continue
      if (field.label && metadata.edit.label === name) {
        metadata.edit.label = field.label
        if (metadata.list)
          metadata.list.label = field.label
        changed = true
      }
      if (field.description && !metadata.edit.description) {
        metadata.edit.description = field.description
        changed = true
      }
      if (field.editable === false && metadata.edit.editable !== false) {
        metadata.edit.editable = false
        changed = true
      }
    }
    if (changed)
      await contentTypes.updateConfiguration(contentType, { metadatas, layouts: configuration.layouts, settings: configuration.settings })
  }
}
