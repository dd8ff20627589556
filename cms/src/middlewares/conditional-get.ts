/**
 * `ETag` on the REST API's 200 answers to GET and HEAD, and `304 Not Modified` when the client sends
 * that tag back in `If-None-Match`: an agency polling a list or an entry downloads it again only when
 * it changed. The tag is a hash of the exact bytes sent (a weak tag: the same JSON); the bytes of an
 * answer from the response cache are hashed once (they are the same object on every hit).
 */
import { createHash } from 'node:crypto'

interface Context {
  method: string
  path: string
  status: number
  body: unknown
  type: string
  request: { headers: Record<string, string | string[] | undefined> }
  set: (name: string, value: string) => void
}

const tags = new WeakMap<Buffer, string>()

function isJsonBody(body: unknown): boolean {
  return typeof body === 'object' && body !== null && !Buffer.isBuffer(body) && typeof (body as { pipe?: unknown }).pipe !== 'function'
}

const tagOf = (bytes: Buffer | string) => `W/"${createHash('sha1').update(bytes).digest('base64url')}"`

/** If-None-Match names the tag (weak comparison, RFC 9110 13.1.2), or is `*`. */
function matches(ifNoneMatch: string | string[] | undefined, tag: string): boolean {
  if (typeof ifNoneMatch !== 'string')
    return false
  const opaque = (value: string) => value.trim().replace(/^W\//, '')
  return ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some(value => opaque(value) === opaque(tag))
}

export default () => async (ctx: Context, next: () => Promise<unknown>) => {
  await next()
  if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || ctx.status !== 200 || !ctx.path.startsWith('/api/'))
    return
  let body = ctx.body
  if (isJsonBody(body)) {
    body = Buffer.from(JSON.stringify(body))
    ctx.type = 'application/json; charset=utf-8'
    ctx.body = body
  }
  let tag: string
  if (Buffer.isBuffer(body)) {
    tag = tags.get(body) ?? tagOf(body)
    tags.set(body, tag)
  }
  else if (typeof body === 'string') {
    tag = tagOf(body)
  }
  else {
    return
  }
  ctx.set('ETag', tag)
  if (matches(ctx.request.headers['if-none-match'], tag)) {
    ctx.status = 304
    ctx.body = null
  }
}
