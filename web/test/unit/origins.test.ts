import { describe, expect, it } from 'vitest'
import { configProblems } from '../../server/utils/origins'

const SECRET = 'x'.repeat(32)

function config(cmsUrl: string, siteUrl: string, mediaUrl = '', secrets: { session?: string, siteKey?: string } = {}) {
  return {
    cmsUrl,
    siteApiKey: secrets.siteKey ?? SECRET,
    session: { password: secrets.session ?? SECRET },
    public: { siteUrl, mediaUrl },
  }
}

describe('configProblems', () => {
  it('accepts the two origins a production server needs', () => {
    expect(configProblems(config('http://cms.internal:1337', 'https://www.isecg.example/'))).toEqual([])
  })
  it('names each missing variable', () => {
    const problems = configProblems(config('', ''))
    expect(problems).toHaveLength(2)
    expect(problems[0]).toMatch(/^NUXT_CMS_URL .* is not set$/)
    expect(problems[1]).toMatch(/^NUXT_PUBLIC_SITE_URL .* is not set$/)
  })
  it('refuses values that are not http(s) origins', () => {
    expect(configProblems(config('localhost:1337', 'https://www.isecg.example'))).toHaveLength(1)
    expect(configProblems(config('http://cms:1337/api', 'https://www.isecg.example'))[0]).toMatch(/without a path/)
    expect(configProblems(config('http://cms:1337', 'ftp://www.isecg.example'))).toHaveLength(1)
    expect(configProblems(config('http://cms:1337', 'https://www.isecg.example', 'not a url'))[0]).toMatch(/^NUXT_PUBLIC_MEDIA_URL/)
    expect(configProblems(config('http://cms:1337', 'https://www.isecg.example', 'https://cdn.example/files?x=1'))).toHaveLength(1)
  })
  it('lets the media URL carry a path prefix (a CDN folder)', () => {
    expect(configProblems(config('http://cms:1337', 'https://www.isecg.example', 'https://media.isecg.example/files'))).toEqual([])
  })
  it('requires the Private Area\'s session password and CMS key, at least 32 characters each', () => {
    const missing = configProblems(config('http://cms:1337', 'https://www.isecg.example', '', { session: '', siteKey: '' }))
    expect(missing).toHaveLength(2)
    expect(missing[0]).toMatch(/^NUXT_SESSION_PASSWORD .* is not set$/)
    expect(missing[1]).toMatch(/^NUXT_SITE_API_KEY .* is not set$/)
    const short = configProblems(config('http://cms:1337', 'https://www.isecg.example', '', { session: 'short' }))
    expect(short).toEqual([
      expect.stringMatching(/^NUXT_SESSION_PASSWORD .* at least 32 characters long \(got 5\)$/),
    ])
  })
})
