/**
 * `compute` remembered per key, for strings asked for again and again (a room's few
 * dozen addresses, its people, the words of sentences). Bounded the simplest way: at
 * `limit` keys everything is forgotten, so a long day of new keys cannot grow it for good.
 */
export function boundedMemo(limit: number, compute: (key: string) => string): (key: string) => string {
  const cache = new Map<string, string>();
  return (key) => {
    let value = cache.get(key);
    if (value === undefined) {
      value = compute(key);
      if (cache.size >= limit) cache.clear();
      cache.set(key, value);
    }
    return value;
  };
}
