// SOQL literals built from untrusted input. SOQL string literals escape backslash and single
// quote with a backslash (plus \n \r \t …); nothing else may end a literal early.
export function soqlString(value: string): string {
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t');
  return `'${escaped}'`;
}

/** `('a','b')` for an IN list. */
export function soqlList(values: readonly string[]): string {
  return `(${values.map(soqlString).join(',')})`;
}
