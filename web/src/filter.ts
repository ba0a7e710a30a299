// The id filter: whitespace-separated terms, all of which must match (case-insensitive).
// A term ending in `*` matches an id prefix (`kitchen.*`), any other term a substring.

export type SensorFilter = (id: string) => boolean;

export function compileFilter(query: string): SensorFilter {
  const terms = query.trim().toLowerCase().split(/\s+/).filter((t) => t.length > 0);
  if (terms.length === 0) return () => true;
  const tests = terms.map((term): SensorFilter => {
    if (term.length > 1 && term.endsWith('*')) {
      const prefix = term.slice(0, -1);
      return (id) => id.startsWith(prefix);
    }
    return (id) => id.includes(term);
  });
  return (id) => {
    const lower = id.toLowerCase();
    return tests.every((t) => t(lower));
  };
}
