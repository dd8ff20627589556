import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
/**
 * A switchable HTTP proxy in front of the CMS, so that a test can make the CMS "go down" for the
 * site (connections are dropped, as when Strapi is not running) and count the requests the site
 * makes to it, while the real CMS keeps running for other tests.
 */
import { createServer, request as httpRequest } from 'node:http'

export interface CmsProxy {
  url: string
  /** false: every request is cut off without an answer. */
  available: boolean
  /** Answers instead of the CMS for the requests it returns an answer for (a broken or hostile CMS). */
  respond: ((url: string) => CannedAnswer | undefined) | null
  /** Paths requested since the last reset(), including while unavailable. */
  requests: string[]
  reset: () => void
  stop: () => Promise<void>
}

export interface CannedAnswer {
  status: number
  headers?: Record<string, string>
  body: string
}

export async function startCmsProxy(targetUrl: string): Promise<CmsProxy> {
  const target = new URL(targetUrl)
  const sockets = new Set<Socket>()
  const state = { available: true, requests: [] as string[], respond: null as CmsProxy['respond'] }

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    state.requests.push(req.url ?? '')
    if (!state.available) {
      req.socket.destroy()
      return
    }
    const canned = state.respond?.(req.url ?? '')
    if (canned) {
      res.writeHead(canned.status, { 'content-type': 'application/json', ...canned.headers })
      res.end(canned.body)
      return
    }
    const upstream = httpRequest({
      hostname: target.hostname,
      port: target.port,
      path: req.url,
      method: req.method,
      headers: { ...req.headers, host: target.host },
    }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    })
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}`,
    get available() { return state.available },
    set available(value: boolean) {
      state.available = value
      // Drop kept-alive connections too, so the change is immediate.
      if (!value) {
        for (const socket of sockets) socket.destroy()
      }
    },
    get respond() { return state.respond },
    set respond(value) { state.respond = value },
    get requests() { return state.requests },
    reset() { state.requests = [] },
    stop: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy()
      server.close(() => resolve())
    }),
  }
}
