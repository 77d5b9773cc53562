// SOQL literals built from untrusted input: the one quoting function of every subgraph.
// A SOQL string literal escapes with a backslash: \\ \' \" \n \r \t \b \f (any other character,
// unicode included, stands for itself; a backslash before anything else is an error upstream).
// https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_quotedstringescapes.htm
const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/** `'…'`: the value as a SOQL string literal; nothing in it can end the literal early. */
export function soqlString(value: string): string {
  return `'${value.replace(/[\\'"\n\r\t\b\f]/g, (c) => ESCAPES[c])}'`;
}

/** `('a','b')` for an IN list. */
export function soqlList(values: readonly string[]): string {
  return `(${values.map(soqlString).join(',')})`;
}
