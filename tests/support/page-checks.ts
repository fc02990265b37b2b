/**
 * Checks every page must pass: no console errors, and 0 axe violations in the given colour scheme.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/** Collects console errors and uncaught exceptions from the moment it is called. */
export function collectConsoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/** axe's rule sets every page must pass: WCAG 2.x A and AA, plus best practices. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/**
 * Waits until Expressive Code's runtime has looked at every code block: a block that scrolls has
 * `tabindex`/`role="region"` (and so its name, src/integrations/codeBlockNames.ts), one that does
 * not has neither. It runs after a resize settles, so axe run before it would miss those regions.
 */
export async function codeBlocksSettled(page: Page): Promise<void> {
  await expect
    .poll(() =>
      page.evaluate(
        () =>
          [...document.querySelectorAll<HTMLElement>('.expressive-code pre')].filter(
            (pre) => pre.checkVisibility() && pre.scrollWidth > pre.clientWidth !== pre.hasAttribute('tabindex'),
          ).length,
      ),
    )
    .toBe(0);
}

/** Runs axe (WCAG 2.x A and AA plus best practices) and fails with a readable list of violations. */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  await codeBlocksSettled(page);
  const { violations } = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  const readable = violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`);
  expect(readable, 'axe violations').toEqual([]);
}
