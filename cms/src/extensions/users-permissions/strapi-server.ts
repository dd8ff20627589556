/**
 * Editors invite a member by creating a User in the Content Manager with an email, a full name and
 * an agency, and nothing else. The plugin's Content Manager controller insists on a username, a
 * password and a role before anything else runs, so they are filled in here with placeholders; the
 * Document Service middleware (src/private-area/members.ts) then sets the real values (username =
 * email, a random unusable password, the Authenticated role) and mails the invitation.
 */
import type { Core } from '@strapi/strapi'
import { authenticatedRoleId, namesEntry, normalizeEmail, randomPassword } from '../../private-area/members'

interface Controller {
  create: (ctx: { request: { body?: Record<string, unknown> } }) => Promise<unknown>
}

interface Plugin {
  controllers: Record<string, Controller | ((deps: { strapi: Core.Strapi }) => Controller)>
}

declare const strapi: Core.Strapi

export default (plugin: Plugin) => {
  // the Content Manager's create route for users ends in this controller (users-permissions 5.x)
  const definition = plugin.controllers.contentmanageruser
  if (!definition || typeof definition === 'function')
    throw new Error('users-permissions: the content-manager-user controller is not where this extension expects it')
  const create = definition.create.bind(definition)
  definition.create = async (ctx) => {
    const body = { ...ctx.request.body }
    const email = normalizeEmail(body.email)
    ctx.request.body = {
      ...body,
      email: email || body.email,
      username: email || body.username,
      password: typeof body.password === 'string' && body.password !== ''
        ? body.password
        : randomPassword(),
      role: namesEntry(body.role)
        ? body.role
        : await authenticatedRoleId(strapi),
    }
    return create(ctx)
  }
  return plugin
}
