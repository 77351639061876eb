/**
 * The metric names a PromQL expression reads, so a test can check every dashboard
 * query against the catalog. A deliberately small scanner, not a parser: it removes
 * strings, label matchers, ranges and grouping clauses, then keeps the identifiers
 * that are not functions, aggregations or keywords. Grafana variables ($service,
 * $__rate_interval) live in matchers and ranges, so they disappear with them.
 */
const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'offset',
  'bool',
  'and',
  'or',
  'unless',
  'inf',
  'nan',
  'atan2',
]);

export function metricNamesInPromQL(expr: string): string[] {
  let text = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/gi, ' ')
    .replace(/\boffset\s+-?[0-9a-z$_]+/gi, ' ')
    .replace(/@\s*[0-9.a-z_()]+/gi, ' ');
  // Numbers (1e3, 0.99, 5m) are not names.
  text = text.replace(/(^|[^a-zA-Z0-9_:])[0-9][0-9.eE+-]*[a-z]*/g, '$1 ');
  const names = new Set<string>();
  for (const match of text.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const name = match[0];
    const rest = text.slice((match.index ?? 0) + name.length);
    if (/^\s*\(/.test(rest)) continue; // a function or aggregation call
    if (KEYWORDS.has(name.toLowerCase())) continue;
    names.add(name);
  }
  return [...names];
}
