import { describe, expect, it } from 'vitest'
import { pageCacheDriver, setsCookie } from '../../server/utils/page-cache-driver'
import { pageCacheUrl } from '../../server/utils/page-cache-keys'

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
    const driver = pageCacheDriver({ maxEntries: 3 })
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
    const driver = pageCacheDriver({
      maxEntries: 10,
      context: () => ({ bypass: member, variant: false }),
    })
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

  it('keeps pages with a query in their own partition: they evict each other, never a plain page', () => {
    let variant = false
    const driver = pageCacheDriver({
      maxEntries: 3,
      maxVariants: 2,
      context: () => ({ bypass: false, variant }),
    })
    driver.setItem('news', entry('news'))
    driver.setItem('faq', entry('faq'))
    variant = true
    for (let i = 0; i < 50; i++) driver.setItem(`search${i}`, entry(String(i)))
    expect(driver.stats()).toMatchObject({ pages: 2, variants: 2 })
    expect(driver.getKeys().sort()).toEqual(['faq', 'news', 'search48', 'search49'])
  })

  it('does not store a page whose request began before a clear', () => {
    let generation: number | undefined = 0
    const driver = pageCacheDriver({
      context: () => ({ bypass: false, variant: false, generation }),
    })
    generation = driver.generation
    driver.clear() // content changed while the page was rendering
    driver.setItem('page', entry('rendered from old content'))
    expect(driver.hasItem('page')).toBe(false)
    generation = driver.generation
    driver.setItem('page', entry('fresh'))
    expect(driver.hasItem('page')).toBe(true)
    generation = undefined // not serving a request
    driver.setItem('other', entry('x'))
    expect(driver.hasItem('other')).toBe(true)
  })
})

describe('page cache keys', () => {
  it('keeps only the parameters a page reads, first value each, in a fixed order', () => {
    expect(pageCacheUrl('/news?utm_source=x&page=2&page=3')).toBe('/news?page=2')
    expect(pageCacheUrl('/news?fbclid=1')).toBe('/news')
    expect(pageCacheUrl('/news?page=abc')).toBe('/news?page=abc') // the page answers 404 (never cached)
    expect(pageCacheUrl('/publications?q=lunar+base&year=2018&kind=roadmap&x=1')).toBe('/publications?kind=roadmap&year=2018&q=lunar+base')
    expect(pageCacheUrl('/members?page=2')).toBe('/members')
    expect(pageCacheUrl('/members')).toBe('/members')
  })

  it('drops values the library ignores anyway', () => {
    expect(pageCacheUrl('/publications?kind=nonsense&year=20x8&topic=Not%20A%20Slug')).toBe('/publications')
    expect(pageCacheUrl(`/publications?q=${'a'.repeat(200)}`)).toBe(`/publications?q=${'a'.repeat(80)}`)
    expect(pageCacheUrl('/publications?q=%20%20')).toBe('/publications')
  })
})
