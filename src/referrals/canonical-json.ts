/**
 * JSON with object keys sorted at every depth (and undefined members left out, as JSON.stringify
 * does), so that two bodies that are equal as JSON give the same text whatever their key order.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(sortKeys);
  }
  if (value !== null && typeof value === 'object') {
    const source = value as Record<string, unknown>;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(source).sort()) {
      if (source[key] !== undefined) {
        sorted[key] = sortKeys(source[key]);
      }
    }
    return sorted;
  }
  return value;
}
