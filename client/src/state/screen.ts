import { Observable } from './observable.ts';

/**
 * What the screen in someone's hands is, which decides the layout (never the join form):
 *
 * - `phone`: the short side is under 600 CSS px (390×844 portrait, 844×390 landscape, or a
 *   laptop window made that small) — one channel at a time.
 * - `tablet`: a touch screen that is not a phone — the surface: pads and big faders.
 * - `laptop`: a fine pointer — the band view: session grid, mixer, devices.
 *
 * `touch` (a coarse pointer) makes every target at least 44×44 px wherever it shows.
 * Turning a phone or resizing a window changes the layout as it happens.
 */
export type ScreenKind = 'phone' | 'tablet' | 'laptop';
export type Orientation = 'portrait' | 'landscape';

export interface ScreenInfo {
  kind: ScreenKind;
  orientation: Orientation;
  touch: boolean;
}

/** Phones' short side stays under this (CSS px); tablets' is 744 and up. */
export const PHONE_SHORT_SIDE = 600;

export function classify(width: number, height: number, touch: boolean): ScreenInfo {
  const orientation: Orientation = width >= height ? 'landscape' : 'portrait';
  const kind: ScreenKind = Math.min(width, height) < PHONE_SHORT_SIDE ? 'phone' : touch ? 'tablet' : 'laptop';
  return { kind, orientation, touch };
}

function measure(): ScreenInfo {
  const touch = typeof matchMedia === 'function' && matchMedia('(pointer: coarse)').matches;
  return classify(window.innerWidth, window.innerHeight, touch);
}

function same(a: ScreenInfo, b: ScreenInfo): boolean {
  return a.kind === b.kind && a.orientation === b.orientation && a.touch === b.touch;
}

/** The current screen; changes on resize, rotation and pointer changes (a tablet's keyboard cover). */
export const screen = new Observable<ScreenInfo>(typeof window === 'undefined' ? classify(1440, 900, false) : measure());

if (typeof window !== 'undefined') {
  const update = (): void => {
    const next = measure();
    if (!same(next, screen.value)) screen.set(next);
  };
  window.addEventListener('resize', update);
  window.addEventListener('orientationchange', update);
  if (typeof matchMedia === 'function') matchMedia('(pointer: coarse)').addEventListener('change', update);
}
