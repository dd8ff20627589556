/**
 * Where the CMS may send a webhook an editor registered (README, "Webhooks for agencies"): an
 * https URL on a public address. Private, loopback, link-local, unique-local, unspecified,
 * multicast and reserved addresses are refused, IPv4 and IPv6 alike, IPv4-mapped IPv6 by the IPv4
 * address it carries, unless AGENCY_WEBHOOK_ALLOW_PRIVATE_TARGETS=true (tests and local
 * development only), which also allows http:// for a target given as localhost or a private IP address.
 *
 * DNS rebinding: the check is made when the request is sent, not only at registration. The host is
 * resolved, every address it resolves to is checked (one refused address refuses the target), and
 * the connection goes to the first checked address (node:http(s) with a pinned `lookup`), so a
 * second resolution cannot swap in another address. TLS still checks the certificate against the
 * host name. Redirects are not followed (a 3xx answer is a failed attempt) and a request is given
 * up after the timeout (10 s).
 */
import type { LookupAddress } from 'node:dns'
import type { LookupFunction } from 'node:net'
import { lookup } from 'node:dns/promises'
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { BlockList, isIP } from 'node:net'

export class TargetRefused extends Error {}

// two lists: a BlockList also matches IPv4 addresses against its IPv6 rules (as ::ffff:a.b.c.d)
const blocked = new BlockList()
const blocked6 = new BlockList()
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network", 0.0.0.0 unspecified
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local (cloud metadata services)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) blocked.addSubnet(network, prefix, 'ipv4')
for (const [network, prefix] of [
  ['::', 8], // unspecified, loopback, IPv4-compatible (IPv4-mapped is checked by its IPv4 address)
  ['64:ff9b::', 96], // NAT64
  ['64:ff9b:1::', 48],
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) blocked6.addSubnet(network, prefix, 'ipv6')

/** The 8 groups of an IPv6 address (with an embedded dotted IPv4 tail resolved). */
function groups(address: string): number[] {
  let text = address.toLowerCase().split('%')[0]!
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split('.').map(Number) as [number, number, number, number]
    text = `${text.slice(0, -dotted[1]!.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const [head, tail] = text.split('::') as [string, string | undefined]
  const left: string[] = head
    ? head.split(':')
    : []
  const right: string[] = tail
    ? tail.split(':')
    : []
  const middle: string[] = tail === undefined
    ? []
    : Array.from<string>({ length: 8 - left.length - right.length }).fill('0')
  return [
    ...left,
    ...middle,
    ...right,
  ].map(group => Number.parseInt(group, 16))
}

/** The IPv4 address an IPv4-mapped IPv6 address (::ffff:a.b.c.d) carries, or null. */
export function mappedIPv4(address: string): string | null {
  const g = groups(address)
  if (g.length !== 8 || g.slice(0, 5).some(group => group !== 0) || g[5] !== 0xFFFF)
    return null
  return [
    g[6]! >> 8,
    g[6]! & 255,
    g[7]! >> 8,
    g[7]! & 255,
  ].join('.')
}

/** Whether an IP address is one webhooks may not reach (anything that is not a public unicast address). */
export function isNonPublicAddress(address: string): boolean {
  const family = isIP(address)
  if (family === 4)
    return blocked.check(address, 'ipv4')
  if (family === 6) {
    const v4 = mappedIPv4(address)
    if (v4 !== null)
      return blocked.check(v4, 'ipv4')
    return blocked6.check(address.split('%')[0]!, 'ipv6')
  }
  return true
}

export interface TargetOptions {
  /** AGENCY_WEBHOOK_ALLOW_PRIVATE_TARGETS: private targets, and http:// for them, are allowed */
  allowPrivate: boolean
  /** resolver (tests) */
  resolve?: (host: string) => Promise<LookupAddress[]>
}

const resolveAll = (host: string) => lookup(host, { all: true, verbatim: true })

/** The URL as registered: https (http only with allowPrivate), no credentials; a reason when refused. */
export function urlProblem(url: string, options: TargetOptions, resolved?: readonly LookupAddress[]): string | null {
  let parsed: URL
  try {
    parsed = new URL(url)
  }
  catch {
    return 'is not a URL'
  }
  if (parsed.username || parsed.password)
    return 'must not contain a user name or password'
  const host = parsed.hostname.replace(/^\[|\]$/g, '')
  const local = resolved
    ? resolved.length > 0 && resolved.every(entry => isNonPublicAddress(entry.address))
    : host === 'localhost' || host.endsWith('.localhost') || (isIP(host) > 0 && isNonPublicAddress(host))
  // http only to a local address (by name or literal when registered, by what it resolves to when
  // sent), and only with the setting (tests, local development)
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && options.allowPrivate && local))
    return 'must be an https:// URL'
  if (isIP(host) && isNonPublicAddress(host) && !options.allowPrivate)
    return 'points at a private, loopback or link-local address'
  if (!isIP(host) && (host === 'localhost' || host.endsWith('.localhost')) && !options.allowPrivate)
    return 'points at a loopback address'
  return null
}

/** Resolves the URL's host and checks every address; the address to connect to. */
export async function checkedAddress(url: URL, options: TargetOptions): Promise<LookupAddress> {
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new TargetRefused('refused target: the URL must be an https:// URL')
  const host = url.hostname.replace(/^\[|\]$/g, '')
  const addresses: LookupAddress[] = isIP(host)
    ? [
        {
          address: host,
          family: isIP(host),
        },
      ]
    : await (options.resolve ?? resolveAll)(host)
  if (addresses.length === 0)
    throw new TargetRefused(`refused target: ${host} resolves to no address`)
  const refused = addresses.find(entry => isNonPublicAddress(entry.address))
  if (refused && !options.allowPrivate)
    throw new TargetRefused(`refused target: ${host} resolves to ${refused.address}, a private, loopback or link-local address`)
  const problem = urlProblem(url.href, options, addresses)
  if (problem)
    throw new TargetRefused(`refused target: the URL ${problem}`)
  return addresses[0]!
}

/**
 * POSTs to a checked target: connects to the address that was checked, gives up after
 * `timeoutMs`, follows no redirect. Resolves with the answer's status.
 */
export async function guardedPost(url: string, headers: Record<string, string>, body: string, timeoutMs: number, options: TargetOptions): Promise<number> {
  const target = new URL(url)
  const signal = AbortSignal.timeout(timeoutMs)
  const pinned = await checkedAddress(target, options)
  const send = target.protocol === 'https:'
    ? httpsRequest
    : httpRequest
  return new Promise<number>((resolve, reject) => {
    const request = send(target, {
      method: 'POST',
      headers: {
        ...headers,
        'content-length': String(Buffer.byteLength(body)),
      },
      signal,
      // the connection goes to the checked address, whatever the name resolves to now
      lookup: ((_host: string, lookupOptions: { all?: boolean }, callback: (...args: unknown[]) => void) => {
        if (lookupOptions?.all)
          callback(null, [pinned])
        else
          callback(null, pinned.address, pinned.family)
      }) as unknown as LookupFunction,
    }, (response) => {
      response.resume()
      response.on('end', () => resolve(response.statusCode ?? 0))
      response.on('error', reject)
    })
    request.on('error', (error: Error) => reject(signal.aborted
      ? new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`)
      : error))
    request.end(body)
  })
}
