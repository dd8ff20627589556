import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
/**
 * The SSRF guard of editor-registered webhook targets (src/webhooks/target.ts), without a CMS:
 * which URLs and addresses are refused, that the check is made on the resolved addresses when the
 * request is sent and the connection goes to the checked address, no redirects, the timeout.
 */
import { createServer } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { guardedPost, isNonPublicAddress, TargetRefused, urlProblem } from '../src/webhooks/target'

let server: Server
let port: number
const received: string[] = []

beforeAll(async () => {
  server = createServer((req, res) => {
    received.push(req.url ?? '')
    if (req.url === '/redirect')
      return res.writeHead(302, { location: '/ok' }).end()
    if (req.url === '/slow')
      return // never answers
    res.writeHead(204).end()
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', () => resolve()))
  port = (server.address() as AddressInfo).port
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise(resolve => server.close(resolve))
})

const strict = { allowPrivate: false }
const lax = { allowPrivate: true }

describe('webhook targets', () => {
  it('refuses private, loopback, link-local, unique-local, unspecified and IPv4-mapped addresses', () => {
    for (const address of [
      '127.0.0.1',
      '127.1.2.3',
      '10.0.0.1',
      '172.16.5.4',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '::',
      '::1',
      'fe80::1',
      'fe80::1%eth0',
      'fc00::1',
      'fd12:3456::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:10.1.2.3',
      '::ffff:a9fe:a9fe',
      '0:0:0:0:0:ffff:c0a8:0101',
      '::127.0.0.1',
      '64:ff9b::7f00:1',
    ]) expect(isNonPublicAddress(address), address).toBe(true)
    for (const address of [
      '93.184.216.34',
      '8.8.8.8',
      '172.32.0.1',
      '2606:4700::1111',
      '::ffff:8.8.8.8',
    ])
      expect(isNonPublicAddress(address), address).toBe(false)
  })

  it('accepts https URLs on public hosts only, and http only for local targets with the setting', () => {
    expect(urlProblem('https://hooks.esa.example/isecg', strict)).toBeNull()
    expect(urlProblem('http://hooks.esa.example/isecg', strict)).toMatch(/https/)
    expect(urlProblem('http://hooks.esa.example/isecg', lax)).toMatch(/https/)
    expect(urlProblem('ftp://hooks.esa.example/', lax)).toMatch(/https/)
    expect(urlProblem('https://user:pw@hooks.esa.example/', strict)).toMatch(/password/)
    expect(urlProblem('https://127.0.0.1/hook', strict)).toMatch(/private/)
    expect(urlProblem('https://[::ffff:127.0.0.1]/hook', strict)).toMatch(/private/)
    expect(urlProblem('https://[fd00::1]/hook', strict)).toMatch(/private/)
    expect(urlProblem('https://localhost/hook', strict)).toMatch(/loopback/)
    expect(urlProblem('http://127.0.0.1:8080/hook', strict)).toMatch(/https/)
    expect(urlProblem('http://127.0.0.1:8080/hook', lax)).toBeNull()
    expect(urlProblem('not a url', lax)).toMatch(/not a URL/)
  })

  it('refuses a loopback target without the setting, before any connection', async () => {
    received.length = 0
    await expect(guardedPost(`http://127.0.0.1:${port}/ok`, {}, '{}', 2000, strict)).rejects.toThrow(/private, loopback/)
    await expect(guardedPost(`https://127.0.0.1:${port}/ok`, {}, '{}', 2000, strict)).rejects.toBeInstanceOf(TargetRefused)
    expect(received).toEqual([])
  })

  it('checks every resolved address when sending (DNS rebinding), and connects to the checked one', async () => {
    received.length = 0
    const rebinding = {
      allowPrivate: false,
      resolve: async () => [
        { address: '93.184.216.34', family: 4 },
        { address: '127.0.0.1', family: 4 },
      ],
    }
    await expect(guardedPost(`https://hooks.esa.example:${port}/ok`, {}, '{}', 2000, rebinding)).rejects.toThrow(/resolves to 127\.0\.0\.1/)
    const mapped = {
      allowPrivate: false,
      resolve: async () => [
        { address: '::ffff:127.0.0.1', family: 6 },
      ],
    }
    await expect(guardedPost(`https://hooks.esa.example:${port}/ok`, {}, '{}', 2000, mapped)).rejects.toBeInstanceOf(TargetRefused)
    expect(received).toEqual([])
    // a name no DNS knows: the request reaches the receiver only through the address that was checked
    const pinned = {
      allowPrivate: true,
      resolve: async () => [
        { address: '127.0.0.1', family: 4 },
      ],
    }
    expect(await guardedPost(`http://hooks.invalid:${port}/ok`, {}, '{}', 2000, pinned)).toBe(204)
    expect(received).toEqual(['/ok'])
    // http only where every address is local
    const mixed = {
      allowPrivate: true,
      resolve: async () => [
        { address: '127.0.0.1', family: 4 },
        { address: '93.184.216.34', family: 4 },
      ],
    }
    await expect(guardedPost(`http://hooks.invalid:${port}/ok`, {}, '{}', 2000, mixed)).rejects.toThrow(/https/)
  })

  it('does not follow redirects and gives up after the timeout', async () => {
    received.length = 0
    expect(await guardedPost(`http://127.0.0.1:${port}/redirect`, {}, '{}', 2000, lax)).toBe(302)
    expect(received).toEqual(['/redirect'])
    const started = Date.now()
    await expect(guardedPost(`http://127.0.0.1:${port}/slow`, {}, '{}', 300, lax)).rejects.toThrow(/no answer within/)
    expect(Date.now() - started).toBeLessThan(2000)
  })
})
