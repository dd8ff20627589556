import { spawnSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { serverEntry } from '../support/paths'

/** Runs the built server with only the given NUXT_* variables; returns once it exits (or is killed). */
function startBuilt(env: Record<string, string>) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('NUXT_')))
  return spawnSync(process.execPath, [serverEntry], {
    cwd: mkdtempSync(join(tmpdir(), 'isecg-web-config-')),
    env: {
      ...clean,
      NODE_ENV: 'production',
      PORT: '0',
      ...env,
    },
    encoding: 'utf8',
    timeout: 20_000,
  })
}

describe('production configuration', () => {
  it('refuses to start without NUXT_CMS_URL and NUXT_PUBLIC_SITE_URL, and says which is missing', () => {
    const result = startBuilt({})
    expect(result.status).toBe(1)
    expect(result.stderr).toContain('NUXT_CMS_URL')
    expect(result.stderr).toContain('NUXT_PUBLIC_SITE_URL')
  })

  it('refuses a site URL that is not an origin', () => {
    const result = startBuilt({ NUXT_CMS_URL: 'http://127.0.0.1:9', NUXT_PUBLIC_SITE_URL: 'www.isecg.example' })
    expect(result.status).toBe(1)
    expect(result.stderr).toContain('NUXT_PUBLIC_SITE_URL')
    expect(result.stderr).not.toContain('NUXT_CMS_URL')
  })

  it('refuses to start without the Private Area\'s session password and CMS key', () => {
    const result = startBuilt({ NUXT_CMS_URL: 'http://127.0.0.1:9', NUXT_PUBLIC_SITE_URL: 'https://www.isecg.example' })
    expect(result.status).toBe(1)
    expect(result.stderr).toContain('NUXT_SESSION_PASSWORD')
    expect(result.stderr).toContain('NUXT_SITE_API_KEY')
    const short = startBuilt({
      NUXT_CMS_URL: 'http://127.0.0.1:9',
      NUXT_PUBLIC_SITE_URL: 'https://www.isecg.example',
      NUXT_SESSION_PASSWORD: 'too-short',
      NUXT_SITE_API_KEY: 'k'.repeat(32),
    })
    expect(short.status).toBe(1)
    expect(short.stderr).toMatch(/NUXT_SESSION_PASSWORD .*at least 32 characters/)
    expect(short.stderr).not.toContain('NUXT_SITE_API_KEY')
  })
})
