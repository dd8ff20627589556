// Types of chromium.mjs, for the TypeScript tests that import it (web/test/support/browser.ts).
export const chromiumPath: string
export const chromiumFlags: readonly string[]
/** Resolves to a playwright-core Browser. */
export function launchChromium(options?: Record<string, unknown>): Promise<unknown>
