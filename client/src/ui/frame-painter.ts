/**
 * One animation frame for everything that follows Live's meter frames (~20×/s): the
 * meters, the playing clips' progress bars, the song position. Each used to ask for its
 * own frame, a dozen and more callbacks per frame on a band view; now they share one,
 * and each paints (writes styles, never reads layout) once per frame at most.
 */
const waiting = new Set<() => void>();
let frame = 0;

function paintAll(): void {
  frame = 0;
  const paints = [...waiting];
  waiting.clear();
  for (const paint of paints) paint();
}

/** Runs `paint` in the next animation frame, once however often it is asked. */
export function paintNextFrame(paint: () => void): void {
  waiting.add(paint);
  frame ||= requestAnimationFrame(paintAll);
}

/** Forgets a paint that was asked for (an element leaving the page). */
export function cancelPaint(paint: () => void): void {
  waiting.delete(paint);
}
