/**
 * Invitation and password-reset tokens: 256 random bits, handed out once (in the mail link) and
 * stored only as their sha256 (`api::member-token.member-token`). A token is good once, for its
 * purpose, until it expires; issuing a new one revokes the user's older ones of the same purpose.
 */
import type { Core } from '@strapi/strapi'
import { createHash, randomBytes } from 'node:crypto'

export type TokenPurpose = 'invite' | 'reset'

export const TOKEN_UID = 'api::member-token.member-token'

const HOUR = 60 * 60 * 1000
export const TOKEN_LIFETIME_MS: Record<TokenPurpose, number> = {
  invite: 7 * 24 * HOUR,
  reset: HOUR,
}

/** 32 random bytes in base64url: 43 characters. */
const TOKEN_FORMAT = /^[\w-]{43}$/

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex')

export interface TokenUser {
  id: number
  documentId: string
  email: string
  fullName?: string | null
  memberStatus?: string | null
  blocked?: boolean | null
  confirmed?: boolean | null
  sessionVersion?: number | null
  agency?: { id: number, documentId: string, name: string, acronym: string } | null
}

export interface StoredToken {
  id: number
  purpose: TokenPurpose
  expiresAt: string
  usedAt: string | null
  user: TokenUser | null
}

/** Marks every unused token of the user (of one purpose, or all) as used. */
export async function revokeTokens(strapi: Core.Strapi, userId: number, purpose?: TokenPurpose): Promise<void> {
  const open = await strapi.db.query(TOKEN_UID).findMany({
    where: {
      user: { id: userId },
      usedAt: { $null: true },
      ...(purpose
        ? { purpose }
        : {}),
    },
    select: ['id'],
  }) as Array<{ id: number }>
  if (open.length === 0)
    return
  await strapi.db.query(TOKEN_UID).updateMany({
    where: {
      id: {
        $in: open.map(token => token.id),
      },
    },
    data: {
      usedAt: new Date(),
    },
  })
}

/** A fresh token for the user; its older tokens of the same purpose stop working. */
export async function issueToken(strapi: Core.Strapi, user: { id: number, documentId: string }, purpose: TokenPurpose): Promise<string> {
  await revokeTokens(strapi, user.id, purpose)
  const token = randomBytes(32).toString('base64url')
  await strapi.documents(TOKEN_UID).create({
    data: {
      tokenHash: hashToken(token),
      purpose,
      user: user.documentId,
      expiresAt: new Date(Date.now() + TOKEN_LIFETIME_MS[purpose]).toISOString(),
    },
  } as never)
  return token
}

/** The stored token behind a presented one, when it is unused, unexpired and of this purpose. */
export async function findValidToken(strapi: Core.Strapi, token: unknown, purpose: TokenPurpose): Promise<StoredToken | null> {
  if (typeof token !== 'string' || !TOKEN_FORMAT.test(token))
    return null
  const stored = await strapi.db.query(TOKEN_UID).findOne({
    where: {
      tokenHash: hashToken(token),
      purpose,
    },
    populate: {
      user: {
        populate: { agency: true },
      },
    },
  }) as StoredToken | null
  if (!stored || stored.usedAt || !stored.user || new Date(stored.expiresAt).getTime() <= Date.now())
    return null
  return stored
}

/** Uses the token up; false when another request used it first (single use under concurrency). */
export async function consumeToken(strapi: Core.Strapi, stored: StoredToken): Promise<boolean> {
  const { count } = await strapi.db.query(TOKEN_UID).updateMany({
    where: {
      id: stored.id,
      usedAt: { $null: true },
    },
    data: {
      usedAt: new Date(),
    },
  })
  return count === 1
}
