/**
 * Throwaway PostgreSQL databases for the tests that check production behaviour: the admin
 * connection of the test server is TEST_POSTGRES_URL (scripts/pg-test-server.sh); CI must set it,
 * elsewhere the PostgreSQL tests are skipped without it.
 */
import { randomBytes } from 'node:crypto'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

export const testPostgresUrl = process.env.TEST_POSTGRES_URL
if (!testPostgresUrl && process.env.CI)
  throw new Error('TEST_POSTGRES_URL is not set: CI must start PostgreSQL (scripts/pg-test-server.sh)')

/** Runs one statement on the test server's admin connection. */
export async function adminQuery(sql: string): Promise<void> {
  const { Client } = require('pg')
  const client = new Client({ connectionString: testPostgresUrl })
  await client.connect()
  try {
    await client.query(sql)
  }
  finally {
    await client.end()
  }
}

export interface TestDatabase {
  name: string
  /** connection string of the new database */
  url: string
  /** creates it (call once, before use) */
  create: () => Promise<void>
  /** drops it, closing what is still connected */
  drop: () => Promise<void>
}

/** A database named `<prefix>_<random>` on the test server (not created until `create()`). */
export function testDatabase(prefix: string): TestDatabase {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`
  const url = new URL(testPostgresUrl ?? 'postgres://localhost')
  url.pathname = `/${name}`
  return {
    name,
    url: url.toString(),
    create: () => adminQuery(`CREATE DATABASE ${name}`),
    drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  }
}
