import { describe, expect, it } from 'vitest'
import { pageCacheDriver, setsCookie } from '../../server/utils/page-cache-driver'

function entry(body: string, headers: Record<string, unknown> = {}) {
  return JSON.stringify({
    value: { code: 200, headers, body },
    mtime: 1,
    integrity: 'x',
  })
}

describe('page cache driver', () => {
  it('returns stored entries as objects, parsed once', () => {
    const driver = pageCacheDriver()
    driver.setItem('cache:nitro:routes:_:members.json', entry('<html>members</html>'))
    const read = driver.getItem('cache:nitro:routes:_:members.json') as { value: { body: string } }
    expect(read.value.body).toBe('<html>members</html>')
    expect(driver.hasItem('cache:nitro:routes:_:members.json')).toBe(true)
    expect(driver.getItem('missing')).toBeNull()
  })

  it('keeps the stored page when a reader assigns entry fields (a failed revalidation)', () => {
    const driver = pageCacheDriver()
    driver.setItem('k', entry('good page'))
    const read = driver.getItem('k') as Record<string, unknown>
    read.value = { code: 503, headers: {}, body: 'outage' }
    read.expires = 0
    expect((driver.getItem('k') as { value: { body: string } }).value.body).toBe('good page')
  })

  it('holds at most maxEntries, evicting the least recently used', () => {
    const driver = pageCacheDriver(3)
    for (const key of ['a', 'b', 'c']) driver.setItem(key, entry(key))
    driver.getItem('a') // a is now the most recently used
    driver.setItem('d', entry('d'))
    expect(driver.getKeys().sort()).toEqual(['a', 'c', 'd'])
    for (let i = 0; i < 100; i++) driver.setItem(`q${i}`, entry(String(i)))
    expect(driver.getKeys()).toHaveLength(3)
  })

  it('keeps values that are not JSON objects as they were written', () => {
    const driver = pageCacheDriver()
    driver.setItem('raw', 'plain text')
    expect(driver.getItem('raw')).toBe('plain text')
    driver.removeItem('raw')
    expect(driver.hasItem('raw')).toBe(false)
  })

  it('never stores a response that sets a cookie', () => {
    const driver = pageCacheDriver()
    driver.setItem('page', entry('<html>one visitor</html>', { 'Set-Cookie': 'isecg-session=abc; HttpOnly' }))
    driver.setItem('other', entry('<html>other</html>', {
      'set-cookie': ['a=1', 'b=2'],
    }))
    expect(driver.getItem('page')).toBeNull()
    expect(driver.getItem('other')).toBeNull()
    expect(driver.getKeys()).toEqual([])
    expect(setsCookie({
      value: {
        headers: { 'content-type': 'text/html' },
      },
    })).toBe(false)
  })

  it('neither serves nor stores pages while the current request must bypass it (a member session)', () => {
    let member = false
    const driver = pageCacheDriver(10, () => member)
    driver.setItem('page', entry('<html>public</html>'))
    member = true
    expect(driver.getItem('page')).toBeNull()
    expect(driver.hasItem('page')).toBe(false)
    driver.setItem('page', entry('<html>rendered for a member</html>'))
    driver.setItem('new', entry('<html>rendered for a member</html>'))
    member = false
    expect((driver.getItem('page') as { value: { body: string } }).value.body).toBe('<html>public</html>')
    expect(driver.hasItem('new')).toBe(false)
  })
})
