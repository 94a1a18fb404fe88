/** How many sentences each person's history keeps. */
const KEEP = 50;

/**
 * What one person said on this device, newest last, for ↑ and ↓ in the command line.
 * Kept per room and name, so a shared classroom laptop keeps each person's own words.
 */
export class WordsHistory {
  private readonly key: string;
  private items: string[];

  constructor(room: string, person: string) {
    this.key = `roomtone.words.${room}.${person.trim().toLowerCase()}`;
    this.items = load(this.key);
  }

  get all(): readonly string[] {
    return this.items;
  }

  add(text: string): void {
    const t = text.trim();
    if (!t) return;
    this.items = [...this.items.filter((x) => x !== t), t].slice(-KEEP);
    try {
      localStorage.setItem(this.key, JSON.stringify(this.items));
    } catch {
      /* private mode or full: the history lives for this page only */
    }
  }
}

function load(key: string): string[] {
  try {
    const raw: unknown = JSON.parse(localStorage.getItem(key) ?? '[]');
    return Array.isArray(raw) ? raw.filter((x): x is string => typeof x === 'string').slice(-KEEP) : [];
  } catch {
    return [];
  }
}
