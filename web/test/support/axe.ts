import type { AxeResults, Result, RunOptions } from 'axe-core'
import type { Page } from 'playwright-core'
/**
 * axe-core (Deque's accessibility engine) run inside a page opened with playwright-core.
 *
 *   const violations = await runAxe(page)
 *   expect(violations.filter(blocking).map(formatViolation)).toEqual([])
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { webDir } from './paths'

const require = createRequire(`${webDir}/package.json`)
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')

/** WCAG 2.0, 2.1 and 2.2, levels A and AA. */
export const WCAG_TAGS = [
  'wcag2a',
  'wcag2aa',
  'wcag21a',
  'wcag21aa',
  'wcag22aa',
] as const

/**
 * Runs axe on the page as it is now. By default the WCAG A/AA rules; `options` may select others.
 * axe is injected with evaluate (no <script> added to the page), so it runs on pages served
 * without client scripts too.
 */
export async function runAxe(page: Page, options: RunOptions = {
  runOnly: {
    type: 'tag',
    values: [...WCAG_TAGS],
  },
}): Promise<Result[]> {
  if (!await page.evaluate(() => 'axe' in window))
    await page.evaluate(axeSource)
  const results = await page.evaluate(
    async (runOptions) => {
      const axe = (window as unknown as { axe: { run: (context: Document, options: unknown) => Promise<AxeResults> } }).axe
      return await axe.run(document, {
        ...runOptions,
        resultTypes: ['violations'],
      })
    },
    options as Record<string, unknown>,
  )
  return results.violations
}

/** Violations that block users outright (axe's serious and critical impacts). */
export const blocking = (violation: Result) => violation.impact === 'serious' || violation.impact === 'critical'

/** A violation as readable lines: rule, impact, what to fix, and every element with its failure. */
export function formatViolation(violation: Result): string {
  const nodes = violation.nodes.map(node => `    ${node.target.join(' ')}\n      ${(node.failureSummary ?? '').replace(/\n\s*/g, ' / ')}\n      ${node.html.slice(0, 200)}`)
  return `${violation.id} (${violation.impact}): ${violation.help} [${violation.tags.filter(tag => tag.startsWith('wcag')).join(', ')}] ${violation.helpUrl}\n${nodes.join('\n')}`
}
