/**
 * The preview of drafts in Chromium, framed the way the CMS admin frames it: a page on the admin's
 * origin holds an iframe of the URL the admin's preview gives (config/admin.ts). The draft shows
 * with its bar, the preview cookie is out of reach of scripts, saving in the admin reloads the
 * frame, another origin cannot frame a preview, the page stays accessible, and "Exit preview" comes
 * back to the public site.
 */
import type { Server } from 'node:http'
import type { Browser, Frame, Page } from 'playwright-core'
import type { CmsInstance } from '../../../cms/tests/harness'
import type { AdminSession } from '../../../cms/tests/support/admin'
import type { SiteInstance } from '../support/site'
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCms } from '../../../cms/tests/harness'
import { signInAsAdmin } from '../../../cms/tests/support/admin'
import { blocking, formatViolation, runAxe } from '../support/axe'
import { launchBrowser } from '../support/browser'
import { freePort, startSite } from '../support/site'

const PREVIEW_SECRET = randomBytes(32).toString('base64url')
const PREVIEW_TOKEN = randomBytes(32).toString('base64url')

let cms: CmsInstance
let site: SiteInstance
let admin: AdminSession
let browser: Browser
let framer: Server
/** the stand-in for the CMS admin: a page with an iframe of ?src, on http://127.0.0.1:<port> */
let adminOrigin: string
let framerPort: number

beforeAll(async () => {
  framerPort = await freePort()
  adminOrigin = `http://127.0.0.1:${framerPort}`
  framer = createServer((request, response) => {
    const src = new URL(request.url ?? '/', adminOrigin).searchParams.get('src') ?? ''
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    response.end(`<!doctype html><html lang="en"><title>Admin preview (test)</title>
<iframe id="preview" title="Preview" src="${src.replace(/"/g, '&quot;')}" style="width:1200px;height:800px;border:0"></iframe></html>`)
  })
  await new Promise<void>(resolve => framer.listen(framerPort, '127.0.0.1', () => resolve()))
  const port = await freePort()
  cms = await startCms({
    env: {
      SITE_URL: `http://127.0.0.1:${port}`,
      PREVIEW_SECRET,
      PREVIEW_TOKEN,
    },
  })
  site = await startSite({
    cmsUrl: cms.url,
    port,
    siteKey: cms.siteKey,
    env: {
      NUXT_PREVIEW_SECRET: PREVIEW_SECRET,
      NUXT_CMS_PREVIEW_TOKEN: PREVIEW_TOKEN,
      NUXT_CMS_ADMIN_ORIGIN: adminOrigin,
    },
  })
  admin = await signInAsAdmin(cms)
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await site?.stop()
  await cms?.stop()
  await new Promise(resolve => framer?.close(resolve))
})

const run = Date.now().toString(36)

async function draftArticle(label: string) {
  const slug = `${label}-${run}`
  const title = `${label.replace(/-/g, ' ')} ${run}`
  const created = await cms.strapi.documents('api::news-article.news-article').create({
    data: {
      title,
      slug,
      date: '2026-04-01',
      summary: 'A draft for the browser.',
      body: 'Draft text.',
      visibility: 'public',
    },
  } as never)
  return { slug, title, documentId: created.documentId }
}

/** The URL the admin's "Open preview" frames for a news article. */
async function adminPreviewUrl(documentId: string): Promise<string> {
  const { status, body } = await admin.request('GET', `/content-manager/preview/url/api::news-article.news-article?documentId=${documentId}&status=draft`)
  expect(status).toBe(200)
  return body.data.url as string
}

async function withPage(run: (page: Page, console: string[]) => Promise<void>) {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
  })
  const page = await context.newPage()
  const messages: string[] = []
  const errors: string[] = []
  page.on('console', message => messages.push(message.text()))
  page.on('pageerror', error => errors.push(error.message))
  try {
    await run(page, messages)
    expect(errors).toEqual([])
  }
  finally {
    await context.close()
  }
}

async function previewFrame(page: Page, slug: string): Promise<Frame> {
  await expect.poll(() => page.frames().some(frame => new URL(frame.url()).pathname === `/news/${slug}`)).toBe(true)
  const frame = page.frames().find(frame => new URL(frame.url()).pathname === `/news/${slug}`)!
  await frame.waitForLoadState('load')
  return frame
}

describe('preview in the browser', () => {
  it('shows the draft in the admin\'s frame with its bar, keeps the cookie from scripts, and reloads when the admin saves', async () => {
    const draft = await draftArticle('framed-draft')
    const url = await adminPreviewUrl(draft.documentId)
    await withPage(async (page, messages) => {
      await page.goto(`${adminOrigin}/?src=${encodeURIComponent(url)}`)
      const frame = await previewFrame(page, draft.slug)
      await expect.poll(() => frame.locator('h1').first().innerText()).toBe(draft.title)
      expect(await frame.getByRole('complementary', { name: 'Preview' }).innerText()).toContain('Preview: draft')
      expect(await frame.getByRole('link', { name: 'Exit preview' }).getAttribute('href')).toBe(`/api/preview/exit?path=%2Fnews%2F${draft.slug}`)
      expect(await frame.evaluate(() => document.cookie)).not.toContain('isecg-preview')
      expect(await frame.content()).not.toContain(PREVIEW_TOKEN)

      // the editor saves a new title: the admin posts strapiUpdate to the frame
      const edited = `${draft.title} (edited)`
      await cms.strapi.documents('api::news-article.news-article').update({
        documentId: draft.documentId,
        data: { title: edited },
      } as never)
      await page.evaluate((origin) => {
        (document.getElementById('preview') as HTMLIFrameElement).contentWindow!.postMessage({ type: 'strapiUpdate' }, origin)
      }, site.url)
      await expect.poll(async () => {
        const current = page.frames().find(frame => new URL(frame.url()).pathname === `/news/${draft.slug}`)
        return current?.locator('h1').first().innerText().catch(() => '')
      }).toBe(edited)
      expect(messages.filter(text => /Content Security Policy|Refused to/i.test(text))).toEqual([])
    })
  })

  it('cannot be framed by another origin than the admin\'s', async () => {
    const draft = await draftArticle('unframable-draft')
    const url = await adminPreviewUrl(draft.documentId)
    // same site (the preview cookie is set), another origin: another port of 127.0.0.1
    const otherPort = await freePort()
    const other = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      response.end(`<!doctype html><html lang="en"><title>Not the admin</title><iframe title="Preview" src="${url.replace(/"/g, '&quot;')}"></iframe></html>`)
    })
    await new Promise<void>(resolve => other.listen(otherPort, '127.0.0.1', () => resolve()))
    try {
      await withPage(async (page, messages) => {
        await page.goto(`http://127.0.0.1:${otherPort}/`)
        // Chromium: "Framing '<site>' violates the following Content Security Policy directive: "frame-ancestors <admin>". The request has been blocked."
        await expect.poll(() => messages.some(text => /Refused to frame|Framing .* violates/i.test(text) && text.includes(`frame-ancestors ${adminOrigin}"`)), {
          message: messages.join('\n'),
        }).toBe(true)
        for (const frame of page.frames().filter(frame => frame !== page.mainFrame()))
          expect(await frame.locator('body').innerText().catch(() => '')).not.toContain(draft.title)
      })
    }
    finally {
      await new Promise(resolve => other.close(resolve))
    }
  })

  it('keeps drafts across client-side navigation, and "Exit preview" returns to the public site', async () => {
    const draft = await draftArticle('navigated-draft')
    const url = await adminPreviewUrl(draft.documentId)
    await withPage(async (page) => {
      await page.goto(url)
      await page.waitForURL(`${site.url}/news/${draft.slug}`)
      expect(await page.locator('h1').first().innerText()).toBe(draft.title)
      // the bar keeps the page accessible (WCAG 2.2 A/AA: contrast, landmarks, link names)
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: 900 })
        expect((await runAxe(page)).filter(blocking).map(formatViolation), `${width} px`).toEqual([])
      }
      // client-side navigation: the News list is rendered in the browser from /api/news, which the
      // browser asks with the preview cookie, and lists the draft
      const requests: string[] = []
      page.on('request', request => requests.push(`${request.resourceType()} ${new URL(request.url()).pathname}`))
      await page.getByRole('link', { name: '← All news' }).click()
      await page.waitForURL(`${site.url}/news`)
      await expect.poll(() => page.getByRole('link', { name: draft.title }).count()).toBe(1)
      expect(requests).toContain('fetch /api/news')
      expect(requests).not.toContain('document /news')
      expect(await page.getByRole('complementary', { name: 'Preview' }).innerText()).toContain('Preview: draft')
      // and so is a page loaded from the server
      await page.reload()
      expect(await page.getByRole('link', { name: draft.title }).count()).toBe(1)
      await page.getByRole('link', { name: 'Exit preview' }).click()
      await page.waitForURL(`${site.url}/news`)
      expect(await page.getByRole('complementary', { name: 'Preview' }).count()).toBe(0)
      expect(await page.getByRole('link', { name: draft.title }).count()).toBe(0)
      const response = await page.goto(`${site.url}/news/${draft.slug}`)
      expect(response?.status()).toBe(404)
    })
  })
})
