import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/** WCAG 2.2 AA, as axe-core tags it: every A and AA rule of 2.0, 2.1 and 2.2. */
export const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] as const;

const axeSource = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** One axe-core violation, reduced to what a failing test message needs. */
export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  /** CSS selectors of the offending nodes, with axe's summary of what is wrong with each. */
  readonly nodes: readonly string[];
}

/**
 * Runs axe-core inside the page (injected from the `axe-core` package, not a CDN) on the whole document or on the
 * element `include` selects, with the WCAG 2.2 AA rules, and returns its violations (none is the pass).
 */
export async function axeViolations(page: Page, options: { include?: string } = {}): Promise<AxeViolation[]> {
  const injected = await page.evaluate(() => typeof (window as { axe?: unknown }).axe === 'object');
  if (!injected) await page.addScriptTag({ path: axeSource });
  return page.evaluate(
    async ({ include, tags }) => {
      const axe = (window as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<AxeResults> } }).axe;
      interface AxeResults {
        violations: Array<{ id: string; impact?: string | null; help: string; nodes: Array<{ target: unknown[]; failureSummary?: string }> }>;
      }
      const results = await axe.run(include ?? document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return results.violations.map((v) => ({
        id: v.id,
        impact: v.impact ?? null,
        help: v.help,
        nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${(n.failureSummary ?? '').replace(/\s+/g, ' ')}`),
      }));
    },
    { include: options.include, tags: [...WCAG_22_AA] },
  );
}

/** Readable text for an assertion message: one line per violation and node. */
export function describeViolations(violations: readonly AxeViolation[]): string {
  return violations.map((v) => `${v.id} (${v.impact ?? 'n/a'}): ${v.help}\n  ${v.nodes.join('\n  ')}`).join('\n');
}
