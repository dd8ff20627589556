/**
 * A member's download: /private-area/files/<fileId> streams the file from the CMS's
 * /api/member-files/<fileId> with the member's JWT (the CMS checks that they may read it and keeps
 * the audit row). Never cached: `private, no-store`. Signed out (or the CMS ended the session): a
 * browser is sent to the sign-in page, which comes back here afterwards; other clients get 404.
 */
import type { H3Event } from 'h3'

const PASSED_HEADERS = [
  'content-type',
  'content-length',
  'last-modified',
  'etag',
]

function signedOut(event: H3Event, path: string) {
  if ((getRequestHeader(event, 'accept') ?? '').includes('text/html'))
    return sendRedirect(event, `/private-area/sign-in?next=${encodeURIComponent(path)}`, 303)
  throw createError({ statusCode: 404, statusMessage: 'Not Found' })
}

export default defineEventHandler(async (event) => {
  setResponseHeaders(event, { 'cache-control': 'private, no-store', 'x-robots-tag': 'noindex' })
  const id = getRouterParam(event, 'id') ?? ''
  if (!/^[\w-]{1,64}$/.test(id))
    throw createError({ statusCode: 404, statusMessage: 'Not Found' })
  const path = `/private-area/files/${id}`

  const session = await readMemberSession(event)
  if (!session)
    return signedOut(event, path)

  let response: Response
  try {
    response = await fetch(`${cmsOrigin(event)}/api/member-files/${encodeURIComponent(id)}`, {
      headers: {
        ...memberHeaders(event, session.jwt),
        accept: '*/*',
      },
      redirect: 'manual',
      signal: AbortSignal.timeout(30_000),
    })
  }
  catch (error) {
    console.error('[member-files]', (error as Error).message)
    throw createError({ statusCode: 503, statusMessage: 'Service Unavailable' })
  }
  if (response.status === 401) {
    await response.body?.cancel()
    await endMemberSession(event)
    return signedOut(event, path)
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel()
    throw createError(response.status === 403 || response.status === 404
      ? { statusCode: 404, statusMessage: 'Not Found' }
      : { statusCode: 503, statusMessage: 'Service Unavailable' })
  }

  for (const name of PASSED_HEADERS) {
    const value = response.headers.get(name)
    if (value)
      setResponseHeader(event, name, value)
  }
  // always a download, never rendered in the site's origin
  const disposition = response.headers.get('content-disposition') ?? ''
  setResponseHeaders(event, {
    'content-disposition': /^attachment\b/i.test(disposition)
      ? disposition
      : 'attachment',
    'x-content-type-options': 'nosniff',
    'cache-control': 'private, no-store',
  })
  return sendStream(event, response.body)
})
