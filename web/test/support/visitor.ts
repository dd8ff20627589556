/**
 * A browser without a browser, for the server tests: keeps cookies like one (httpOnly or not),
 * never follows redirects on its own, reads the CSRF token of the last form page, and posts forms
 * as `application/x-www-form-urlencoded` with the site's own Origin, as Chromium does.
 *
 *   const visitor = createVisitor(site.url)
 *   await visitor.get('/private-area/sign-in')
 *   const answer = await visitor.post('/api/private-area/sign-in', { email, password })
 */
export interface Answer {
  status: number
  headers: Headers
  text: string
  bytes: Buffer
  /** the Location header, for redirects */
  location: string | null
  /** raw Set-Cookie headers of this answer */
  setCookies: string[]
}

export interface PostOptions {
  /** Origin header to send (default: the site's); null sends none */
  origin?: string | null
  /** send the CSRF token of the last page (default true) */
  csrf?: boolean
  headers?: Record<string, string>
}

export function createVisitor(siteUrl: string) {
  const cookies = new Map<string, string>()
  let csrfToken = ''

  function remember(setCookies: string[]) {
    for (const header of setCookies) {
      const [pair = '', ...attributes] = header.split(';')
      const index = pair.indexOf('=')
      const name = pair.slice(0, index).trim()
      const value = pair.slice(index + 1).trim()
      const expired = attributes.some(a => /^\s*max-age\s*=\s*0\s*$/i.test(a))
        || attributes.some(a => /^\s*expires\s*=/i.test(a) && new Date(a.split('=')[1]!).getTime() < Date.now())
      if (!value || expired)
        cookies.delete(name)
      else
        cookies.set(name, value)
    }
  }

  async function send(path: string, init: { method: string, body?: string, headers?: Record<string, string> }): Promise<Answer> {
    const headers: Record<string, string> = {
      accept: 'text/html,application/xhtml+xml,*/*;q=0.8',
      ...init.headers,
    }
    if (cookies.size)
      headers.cookie = [...cookies].map(([name, value]) => `${name}=${value}`).join('; ')
    const response = await fetch(`${siteUrl}${path}`, { ...init, headers, redirect: 'manual' })
    const setCookies = response.headers.getSetCookie()
    remember(setCookies)
    const bytes = Buffer.from(await response.arrayBuffer())
    const text = bytes.toString('utf8')
    const token = /name="_csrf" value="([^"]+)"/.exec(text)?.[1]
    if (token)
      csrfToken = token
    return {
      status: response.status,
      headers: response.headers,
      text,
      bytes,
      location: response.headers.get('location'),
      setCookies,
    }
  }

  function postBody(path: string, body: URLSearchParams, options: Omit<PostOptions, 'csrf'> = {}) {
    const origin = options.origin === undefined
      ? new URL(siteUrl).origin
      : options.origin
    return send(path, {
      method: 'POST',
      body: body.toString(),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(origin === null
          ? {}
          : { origin }),
        ...options.headers,
      },
    })
  }

  return {
    cookies,
    get csrfToken() { return csrfToken },
    get: (path: string, headers: Record<string, string> = {}) => send(path, { method: 'GET', headers }),
    /** GETs `path` and follows redirects (at most 5), like a browser navigating. */
    async visit(path: string): Promise<Answer & { url: string }> {
      let url = path
      for (let hops = 0; hops < 5; hops++) {
        const answer = await send(url, { method: 'GET' })
        if (answer.status < 300 || answer.status >= 400 || !answer.location)
          return { ...answer, url }
        url = new URL(answer.location, `${siteUrl}${url}`).pathname + new URL(answer.location, `${siteUrl}${url}`).search
      }
      throw new Error(`too many redirects from ${path}`)
    },
    post(path: string, fields: Record<string, string>, options: PostOptions = {}) {
      const body = new URLSearchParams(fields)
      if (options.csrf !== false && csrfToken)
        body.set('_csrf', csrfToken)
      return postBody(path, body, options)
    },
    /** Posts a form body as it is (several values of one name, no CSRF token added). */
    postBody,
  }
}

export type Visitor = ReturnType<typeof createVisitor>
