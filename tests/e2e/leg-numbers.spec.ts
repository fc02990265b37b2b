/**
 * The numbers on a flow's guide page are the diagram's numbers: the step list under the diagram,
 * and the groups of captured exchanges under "Every leg on the wire", which also run in order
 * (no more "2, 3, 4, 4, 3, 4, 5"). Read from the rendered page, so any component that counts for
 * itself instead of asking src/data/stepNumbers.ts fails here.
 */
import { expect, type Page, test } from '@playwright/test';

const FLOW_PAGES = [
  { flow: 'auth-code-pkce', path: '/guides/auth-code-pkce/' },
  { flow: 'client-credentials', path: '/guides/client-credentials/' },
];

/** Step id → the number Mermaid drew next to that message in the diagram's SVG. */
async function diagramNumbers(page: Page, flow: string): Promise<Map<string, number>> {
  const pairs = await page
    .locator(`#flow-diagram-${flow} g.flow-step`)
    .evaluateAll((groups) =>
      groups.map((g) => [g.getAttribute('data-step') ?? '', (g.querySelector('text.sequenceNumber')?.textContent ?? '').trim()]),
    );
  return new Map(pairs.map(([step, n]) => [step as string, Number(n)]));
}

for (const { flow, path } of FLOW_PAGES) {
  test(`${path}: the step list and every captured exchange carry the diagram's numbers, in order`, async ({ page }) => {
    await page.goto(path);
    const numbers = await diagramNumbers(page, flow);
    expect(numbers.size).toBeGreaterThan(3);
    expect([...numbers.values()]).toEqual([...numbers.keys()].map((_, i) => i + 1));

    // The list under the diagram: item n is the diagram's message n.
    const items = await page
      .locator(`ol.flow-steps[data-flow="${flow}"] > li`)
      .evaluateAll((lis) => lis.map((li) => [li.getAttribute('data-step') ?? '', (li as HTMLLIElement).value]));
    expect(items.map(([step]) => numbers.get(step as string))).toEqual(items.map(([, value]) => value));
    expect(items).toHaveLength(numbers.size);

    // Every leg on the wire: each group's label is the span of the diagram numbers of its exchanges.
    const groups = page.locator(`.captured-legs[data-flow="${flow}"] .captured-legs__group`);
    let previousLast = 0;
    for (const group of await groups.all()) {
      const steps = (await group.locator('details').evaluateAll((ds) => ds.map((d) => d.getAttribute('data-steps') ?? ''))).flatMap((s) =>
        s.split(' '),
      );
      const drawn = steps.map((s) => numbers.get(s) as number);
      const [first, last] = [Math.min(...drawn), Math.max(...drawn)];
      await expect(group.locator('.captured-legs__steps strong')).toHaveText(first === last ? `Step ${first}` : `Steps ${first}–${last}`);
      expect(first, 'groups run in the diagram’s order').toBeGreaterThan(previousLast);
      previousLast = last;
    }
  });
}
