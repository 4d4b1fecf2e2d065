// A function's results kept per argument, for pure functions that every page view calls with the same few arguments.

/**
 * `compute` with a memory of up to `limit` results. When it is full it starts afresh, so a flood of new arguments only
 * empties it and never grows it. Only for functions whose result for an argument never changes in the process's life.
 */
export function remembered<Key, Value>(limit: number, compute: (key: Key) => Value): (key: Key) => Value {
  const results = new Map<Key, Value>();
  return (key) => {
    if (results.has(key)) return results.get(key)!;
    if (results.size >= limit) results.clear();
    const value = compute(key);
    results.set(key, value);
    return value;
  };
}
