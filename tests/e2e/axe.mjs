// axe-core (npm) over the widget, for the accessibility audit: the WCAG
// 2.0, 2.1 and 2.2 A and AA rules and axe's best practices.
import { readFileSync } from 'node:fs';
import { ROOT } from './harness.mjs';

const AXE = readFileSync(`${ROOT}tests/e2e/node_modules/axe-core/axe.min.js`, 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa', 'best-practice'];
/**
 * Rules about the page around an embed, not the widget: whether all
 * content sits in landmarks, whether the page has a main landmark and a
 * level-one heading. The host page owns those.
 */
export const HOST_PAGE_RULES = ['region', 'landmark-one-main', 'page-has-heading-one'];

/**
 * axe's violations on `page`, within `context` (an axe context: the whole
 * page when null), as `rule (impact): selector: summary` lines. `disabled`
 * names rules left out. Injected through the DevTools protocol
 * (`page.evaluate`), so the page's Content-Security-Policy stays as it is.
 */
export async function axeViolations(page, context = null, disabled = []) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE);
  return page.evaluate(
    async ([context, tags, disabled]) => {
      const rules = Object.fromEntries(disabled.map((id) => [id, { enabled: false }]));
      const { violations } = await window.axe.run(context ?? document, { runOnly: { type: 'tag', values: tags }, rules, resultTypes: ['violations'] });
      return violations.flatMap((violation) =>
        violation.nodes.map((node) => `${violation.id} (${violation.impact}): ${node.target.flat().join(' ')}: ${node.failureSummary.replace(/\s+/g, ' ')}`),
      );
    },
    [context, TAGS, disabled],
  );
}

/** The axe context of the embed `host` (a selector of a <cg-inventory>): its shadow root's content only. */
export const insideWidget = (host) => ({ include: [{ fromShadowDom: [host, ':host > *'] }] });
