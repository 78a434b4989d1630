/**
 * A batch sends its rows as one array per column, thousands of elements each. The driver
 * writes every element of an array parameter into the array literal one by one, escaping
 * each with regular expressions: during a rebuild that is a good part of the process's time.
 * An array of strings, numbers, booleans and nulls is the same literal as its JSON text
 * between braces instead of brackets, and JSON.stringify writes it at native speed. JSON's
 * escapes `\"` and `\\` mean the same inside an array literal; its others (control
 * characters, lone surrogates) do not, so such an array, and any array holding something
 * else, is left to the driver.
 */
export function arrayParameter(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  for (const element of value) {
    if (element === null || element === undefined) continue;
    const type = typeof element;
    if (type === 'string' || type === 'boolean' || (type === 'number' && Number.isFinite(element))) continue;
    return value;
  }
  const json = JSON.stringify(value);
  if (OTHER_ESCAPE.test(json)) return value;
  return `{${json.slice(1, -1)}}`;
}

/** One of JSON's escapes besides `\"` and `\\`: a backslash after an even run of them, then b, f, n, r, t or u. */
const OTHER_ESCAPE = /(?<!\\)(?:\\\\)*\\[bfnrtu]/;

export function arrayParameters(parameters: readonly unknown[] | undefined): readonly unknown[] | undefined {
  return parameters?.map(arrayParameter);
}
