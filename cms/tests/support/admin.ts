/**
 * The Strapi admin as an editor uses it: a super admin signs in through /admin/login and works in
 * the Content Manager's HTTP API, so the CMS sees admin requests exactly as from the admin panel.
 */
import type { Core } from '@strapi/strapi'
import type { CmsInstance } from '../harness'

export interface AdminSession {
  /** a request to the admin API with the editor's token */
  request: (method: string, path: string, body?: unknown) => Promise<{ status: number, body: any }>
}

/** Signs in an admin user of a role (Super Admin by default, or e.g. 'strapi-editor'), created when missing. */
export async function signInAsAdmin(cms: CmsInstance, email = 'editor@isecg.test', roleCode = 'strapi-super-admin'): Promise<AdminSession> {
  const strapi: Core.Strapi = cms.strapi
  const password = 'Editor-pass-2026'
  const users = strapi.service('admin::user')
  if (!(await strapi.db.query('admin::user').findOne({
    where: { email },
  }))) {
    const role = await strapi.db.query('admin::role').findOne({
      where: { code: roleCode },
    })
    await users.create({
      email,
      firstname: 'Test',
      lastname: 'Editor',
      password,
      isActive: true,
      registrationToken: null,
      roles: [role.id],
    })
  }
  const login = await fetch(`${cms.url}/admin/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  })
  const { data } = await login.json() as { data?: { token?: string } }
  if (!data?.token)
    throw new Error(`admin login failed (${login.status})`)
  return {
    async request(method, path, body) {
      const response = await fetch(`${cms.url}${path}`, {
        method,
        headers: {
          'authorization': `Bearer ${data.token}`,
          'content-type': 'application/json',
        },
        body: body === undefined
          ? undefined
          : JSON.stringify(body),
      })
      const text = await response.text()
      let parsed: unknown = text
      try {
        parsed = JSON.parse(text)
      }
      catch {}
      return { status: response.status, body: parsed }
    },
  }
}

export const USERS_PATH = '/content-manager/collection-types/plugin::users-permissions.user'
