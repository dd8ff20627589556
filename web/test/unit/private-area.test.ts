import { describe, expect, it } from 'vitest'
import { safeNext } from '../../shared/utils/private-area'

describe('private area redirects', () => {
  it('sends members back only to Private Area paths after signing in', () => {
    expect(safeNext('/private-area')).toBe('/private-area')
    expect(safeNext('/private-area/files/42')).toBe('/private-area/files/42')
    for (const value of [
      'https://evil.example/private-area',
      '//evil.example',
      '/private-area//evil.example',
      '/private-areax',
      '/news',
      '/private-area/../admin',
      '/private-area?x=1',
      42,
      undefined,
    ])
      expect(safeNext(value), String(value)).toBeNull()
  })
})
