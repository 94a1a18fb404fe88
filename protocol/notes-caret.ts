/**
 * A caret's colour in the shared notes: the same for a name on every screen, chosen by
 * the server from the session (H10), so nobody picks another person's colour. Zod-free:
 * the browser imports it.
 */
export const CARET_COLOURS = ['#ffa92e', '#3cd3e6', '#7ce06a', '#ff6fa8', '#b48cff', '#ffd84d', '#5aa9ff', '#ff7a4d'] as const;

export function caretColour(name: string): string {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return CARET_COLOURS[h % CARET_COLOURS.length]!;
}

/**
 * What one caret in the notes says about its person, by who looks (H10): hosts see the
 * name and role; members, who edit together, the name; observers (a projector, a
 * student watching) neither, only the colour.
 */
export interface CaretUser { name?: string; color: string; role?: string }
