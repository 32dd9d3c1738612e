/**
 * HTML for the public pages, written with a tagged template that escapes every interpolated value: text
 * from the archive or from a visitor can never become markup. Only `Html` values (built the same way)
 * are inserted as they are.
 */
export class Html {
  constructor(readonly value: string) {}
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  return new Html(strings.reduce((out, piece, i) => out + piece + (i < values.length ? fragment(values[i]) : ''), ''));
}

function fragment(value: unknown): string {
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(fragment).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const STYLE = `
  body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 42rem; padding: 1rem; line-height: 1.5; color: #1a1a1a; }
  header a { color: inherit; text-decoration: none; font-weight: 600; }
  nav a { margin-right: 1rem; }
  article { border: 1px solid #ddd; border-radius: .5rem; padding: .75rem 1rem; margin: 1rem 0; }
  .body { white-space: pre-wrap; overflow-wrap: anywhere; }
  .meta { color: #555; font-size: .9rem; }
  .field { background: #eef; border-radius: .25rem; padding: 0 .25rem; font-style: italic; }
  .ok { background: #e6f4ea; border-color: #34a853; }
  .bad { background: #fce8e6; border-color: #d93025; }
  del { background: #fbd0cc; } ins { background: #c8e6c9; text-decoration: none; }
  textarea { width: 100%; min-height: 10rem; font: inherit; box-sizing: border-box; }
  button, input { font: inherit; padding: .4rem .8rem; }
`;

export function page(title: string, content: Html): string {
  return html`<!doctype html>
<html lang="es">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${new Html(STYLE)}</style>
</head>
<body>
<header><nav><a href="/archive">Mensajes oficiales</a><a href="/verify">Verificar un mensaje</a></nav></header>
<main>
<h1>${title}</h1>
${content}
</main>
</body>
</html>`.value;
}
