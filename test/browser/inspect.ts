import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/**
 * What a person can see and reach on a page, measured in the page through every shadow
 * root: controls off the side, controls that cannot be brought into view, targets smaller
 * than a finger, sideways scrolling; and axe-core's findings.
 */

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

export interface AxeFinding { id: string; impact: string; help: string; nodes: string[] }

/** axe-core's critical and serious findings (the context needs `bypassCSP: true`). */
export async function axeFindings(page: Page): Promise<AxeFinding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }> }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact ?? '', help: v.help, nodes: v.nodes.slice(0, 5).map((n) => JSON.stringify(n.target)) }));
  });
  return found.filter((f) => f.impact === 'critical' || f.impact === 'serious');
}

/** Opens every closed disclosure (More, the phone menu) so what hides behind it is measured too. */
export async function openDisclosures(page: Page): Promise<void> {
  for (let round = 0; round < 3; round++) {
    const opened = await page.evaluate(() => {
      let n = 0;
      const walk = (root: ParentNode): void => {
        for (const el of root.querySelectorAll<HTMLElement>('button[aria-expanded="false"]')) {
          el.click();
          n++;
        }
        for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
      };
      walk(document);
      return n;
    });
    if (!opened) return;
    await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
  }
}

export interface Reach {
  controls: number;
  /** Controls that stay outside the viewport or under something else after scrolling to them. */
  unreachable: string[];
  /** Controls smaller than `minTarget` in either direction (only when asked). */
  small: string[];
  sideways: number;
  mains: number;
  h1s: string[];
}

/**
 * Every rendered control (buttons, sliders, spin buttons, fields, links, disclosures):
 * scrolled to, it must lie inside the viewport and be the element at its own centre.
 * `minTarget` > 0 also measures each one (a hidden radio or checkbox by its label).
 */
export async function reach(page: Page, minTarget = 0): Promise<Reach> {
  return page.evaluate(async (min) => {
    const SELECTOR = 'button, [role="slider"], [role="spinbutton"], input, select, textarea, a[href], summary';
    const found: HTMLElement[] = [];
    let mains = 0;
    const h1s: string[] = [];
    const walk = (root: ParentNode): void => {
      for (const el of root.querySelectorAll<HTMLElement>(SELECTOR)) found.push(el);
      mains += root.querySelectorAll('main, [role="main"]').length;
      for (const h of root.querySelectorAll('h1')) h1s.push((h.textContent ?? '').trim());
      for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
    };
    walk(document);
    const describe = (el: Element): string => `${el.tagName.toLowerCase()}${el.getAttribute('aria-label') ? ` "${el.getAttribute('aria-label')}"` : ` "${(el.textContent ?? '').trim().slice(0, 30)}"`}`;
    const hitAt = (x: number, y: number): Element | null => {
      let el = document.elementFromPoint(x, y);
      while (el?.shadowRoot) {
        const inner = el.shadowRoot.elementFromPoint(x, y);
        if (!inner || inner === el) break;
        el = inner;
      }
      return el;
    };
    const contains = (outer: Element, inner: Element | null): boolean => {
      for (let n: Node | null = inner; n; n = n.parentNode ?? (n instanceof ShadowRoot ? n.host : null)) if (n === outer) return true;
      return false;
    };
    const frame = () => new Promise<void>((r) => requestAnimationFrame(() => r()));
    const unreachable: string[] = [];
    const small: string[] = [];
    let controls = 0;
    for (const el of found) {
      const style = getComputedStyle(el);
      // Not rendered: closed menus, hidden panes, the inside of a closed <details>.
      if (el.getClientRects().length === 0 || style.visibility === 'hidden' || !el.checkVisibility({ visibilityProperty: true })) continue;
      if (el.classList.contains('skip')) continue; // skip links show on focus only
      // A radio, a checkbox or a visually hidden input (a styled file picker) is pressed through its label.
      const hidden = el instanceof HTMLInputElement && (style.opacity === '0' || el.type === 'radio' || el.type === 'checkbox');
      const label = hidden ? el.labels?.[0] ?? el.closest('label') ?? el : el;
      controls++;
      label.scrollIntoView({ block: 'nearest', inline: 'nearest' });
      await frame();
      // A pad re-rendered while we waited for the frame (Live's state moves during the walk)
      // is a detached copy now; its replacement is the control the person sees.
      if (!el.isConnected || !label.isConnected) { controls--; continue; }
      const r = label.getBoundingClientRect();
      const x = r.left + r.width / 2;
      const y = r.top + r.height / 2;
      const inside = r.left >= -0.5 && r.right <= innerWidth + 0.5 && r.top >= -0.5 && r.bottom <= innerHeight + 0.5;
      if (!inside || !(contains(label, hitAt(x, y)) || contains(el, hitAt(x, y)))) unreachable.push(`${describe(el)} at ${Math.round(r.left)},${Math.round(r.top)} ${Math.round(r.width)}×${Math.round(r.height)}`);
      if (min > 0 && (r.width < min - 0.5 || r.height < min - 0.5)) small.push(`${describe(el)} ${Math.round(r.width)}×${Math.round(r.height)}`);
    }
    const sideways = Math.max(document.documentElement.scrollWidth - document.documentElement.clientWidth, document.body.scrollWidth - document.body.clientWidth);
    return { controls, unreachable, small, sideways, mains, h1s };
  }, minTarget);
}

/**
 * Why the one element matching `selector` (searched through every shadow root) is not
 * fully seen, or an empty list: it must be rendered, inside the viewport, not cut by its
 * own overflow (an ellipsis, a clipped line) nor by any scrolling or clipping ancestor,
 * and be what is hit at its centre (nothing covers it).
 */
export async function notFullySeen(page: Page, selector: string): Promise<string[]> {
  return page.evaluate((sel) => {
    const find = (root: ParentNode): Element | null => {
      const hit = root.querySelector(sel);
      if (hit) return hit;
      for (const el of root.querySelectorAll('*')) {
        const inner = el.shadowRoot ? find(el.shadowRoot) : null;
        if (inner) return inner;
      }
      return null;
    };
    const el = find(document);
    if (!(el instanceof HTMLElement)) return [`${sel} is not in the page`];
    const problems: string[] = [];
    if (!el.checkVisibility({ visibilityProperty: true, opacityProperty: true }) || el.getClientRects().length === 0) problems.push('not rendered');
    const r = el.getBoundingClientRect();
    const box = `${Math.round(r.left)},${Math.round(r.top)} ${Math.round(r.width)}×${Math.round(r.height)}`;
    if (r.width < 1 || r.height < 1) problems.push(`empty box ${box}`);
    if (r.left < -0.5 || r.top < -0.5 || r.right > innerWidth + 0.5 || r.bottom > innerHeight + 0.5) problems.push(`outside the ${innerWidth}×${innerHeight} viewport: ${box}`);
    if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1) problems.push(`its text is cut: ${el.scrollWidth}×${el.scrollHeight} in ${el.clientWidth}×${el.clientHeight}`);
    for (let n: Node | null = el.parentNode; n; n = n instanceof ShadowRoot ? n.host : n.parentNode) {
      if (!(n instanceof Element)) continue;
      const s = getComputedStyle(n);
      if (s.overflowX === 'visible' && s.overflowY === 'visible' && s.clipPath === 'none') continue;
      const a = n.getBoundingClientRect();
      if (r.left < a.left - 0.5 || r.top < a.top - 0.5 || r.right > a.right + 0.5 || r.bottom > a.bottom + 0.5) problems.push(`clipped by ${n.localName}${n.classList[0] ? `.${n.classList[0]}` : ''} at ${Math.round(a.left)},${Math.round(a.top)} ${Math.round(a.width)}×${Math.round(a.height)}: ${box}`);
    }
    let top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    while (top?.shadowRoot) {
      const inner = top.shadowRoot.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      if (!inner || inner === top) break;
      top = inner;
    }
    let covered = true;
    for (let n: Node | null = top; n; n = n instanceof ShadowRoot ? n.host : n.parentNode) if (n === el) covered = false;
    if (covered) problems.push(`covered by ${top?.localName ?? 'nothing'} at its centre`);
    return problems;
  }, selector);
}
