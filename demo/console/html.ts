/** Escaping for server-rendered HTML: text, attribute values and JSON carried in attributes. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON for a `data-*` attribute: the browser unescapes it before `JSON.parse` sees it. */
export function jsonAttribute(value: unknown): string {
  return escapeHtml(JSON.stringify(value));
}
