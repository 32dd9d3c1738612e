/**
 * Parameterised SQL pieces that compose without string-building mistakes: each fragment carries its own
 * values and placeholders are numbered only when the statement is assembled.
 */
export type Sql = { text: string; values: unknown[] };

const PLACEHOLDER = '\u0000';

/** Tagged template: sql`a = ${1} AND ${otherFragment}` */
export function sql(strings: TemplateStringsArray, ...params: unknown[]): Sql {
  let text = strings[0]!;
  const values: unknown[] = [];
  params.forEach((param, i) => {
    if (isSql(param)) {
      text += param.text;
      values.push(...param.values);
    } else {
      text += PLACEHOLDER;
      values.push(param);
    }
    text += strings[i + 1]!;
  });
  return { text, values };
}

export function raw(text: string): Sql {
  return { text, values: [] };
}

export function join(parts: Sql[], separator: string): Sql {
  return {
    text: parts.map((p) => p.text).join(separator),
    values: parts.flatMap((p) => p.values),
  };
}

/** Final text for pg: placeholders become $1..$n. */
export function toQuery(fragment: Sql): { text: string; values: unknown[] } {
  let n = 0;
  return { text: fragment.text.replace(/\u0000/g, () => `$${++n}`), values: fragment.values };
}

function isSql(value: unknown): value is Sql {
  return typeof value === 'object' && value !== null && 'text' in value && 'values' in value && Array.isArray((value as Sql).values);
}
