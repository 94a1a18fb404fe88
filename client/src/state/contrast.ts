/**
 * WCAG 2 contrast, for text drawn on colours nobody chose for us (Live's clip and track
 * colours). Pure black or pure white always reaches at least 4.58:1 on any colour (the
 * worst case is a mid grey of luminance ~0.18), so the ink is whichever of the two
 * contrasts more: never below the 4.5:1 AA needs for normal text.
 */
export const INK_DARK = '#000000';
export const INK_LIGHT = '#ffffff';

function channel(c: number): number {
  const s = c / 255;
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

/** Relative luminance of a 0xRRGGBB colour. */
export function luminance(rgb: number): number {
  return 0.2126 * channel((rgb >> 16) & 255) + 0.7152 * channel((rgb >> 8) & 255) + 0.0722 * channel(rgb & 255);
}

export function contrastRatio(a: number, b: number): number {
  const la = luminance(a);
  const lb = luminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** Black or white text, whichever reads better on `rgb`. */
export function inkFor(rgb: number): string {
  return contrastRatio(rgb & 0xffffff, 0x000000) >= contrastRatio(rgb & 0xffffff, 0xffffff) ? INK_DARK : INK_LIGHT;
}
