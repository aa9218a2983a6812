// PostgreSQL's COPY text format, written: one line per row, columns
// separated by tabs, `\N` for NULL, backslash, tab, newline and carriage
// return escaped with a backslash (https://www.postgresql.org/docs/current/sql-copy.html#SQL-COPY-FILE-FORMATS).
// A value is written as the text PostgreSQL reads for its column's type:
// strings as they are, numbers and booleans in their SQL spelling, a Date as
// ISO 8601, an array as an array literal (`{"a","b"}`, the `text[]`
// columns), any other object as JSON (the `jsonb` columns).

/** Escapes what COPY's text format reads specially. */
function escapeCopy(text: string): string {
  return /[\\\t\n\r]/.test(text)
    ? text
        .replace(/\\/g, '\\\\')
        .replace(/\t/g, '\\t')
        .replace(/\n/g, '\\n')
        .replace(/\r/g, '\\r')
    : text;
}

/** An array literal: every element quoted, NULL for null. */
function arrayLiteral(values: readonly unknown[]): string {
  const elements = values.map((value) => {
    if (value === null || value === undefined) return 'NULL';
    if (Array.isArray(value)) return arrayLiteral(value);
    return `"${sqlText(value).replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  });
  return `{${elements.join(',')}}`;
}

/** The text PostgreSQL reads for `value` (not null). */
function sqlText(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'bigint':
      return String(value);
    case 'boolean':
      return value ? 't' : 'f';
    case 'object':
      if (value instanceof Date) return value.toISOString();
      if (Array.isArray(value)) return arrayLiteral(value);
      return JSON.stringify(value);
    default:
      throw new TypeError(`COPY cannot write a value of type ${typeof value}`);
  }
}

/** One row in COPY's text format, with its line break. */
export function copyLine(values: readonly unknown[]): string {
  let line = '';
  for (let i = 0; i < values.length; i += 1) {
    const value = values[i];
    if (i > 0) line += '\t';
    line +=
      value === null || value === undefined
        ? '\\N'
        : escapeCopy(sqlText(value));
  }
  return `${line}\n`;
}
