// The sensor filter: whitespace-separated terms, all of which must match (case-insensitive),
// each in the id or in the name. A term ending in `*` matches a prefix (`kitchen.*`), any other
// term a substring.

export type SensorFilter = (id: string, name?: string) => boolean;

export function compileFilter(query: string): SensorFilter {
  const terms = query.trim().toLowerCase().split(/\s+/).filter((t) => t.length > 0);
  if (terms.length === 0) return () => true;
  const tests = terms.map((term): ((text: string) => boolean) => {
    if (term.length > 1 && term.endsWith('*')) {
      const prefix = term.slice(0, -1);
      return (text) => text.startsWith(prefix);
    }
    return (text) => text.includes(term);
  });
  return (id, name = '') => {
    const lowerId = id.toLowerCase();
    const lowerName = name.toLowerCase();
    return tests.every((t) => t(lowerId) || (lowerName !== '' && t(lowerName)));
  };
}
