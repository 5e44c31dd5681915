/**
 * A deliberately small multipart/form-data reader for the token endpoint, where Procore's docs use `curl -F`.
 * It reads simple text fields only (no files, no nested encodings), which is all an OAuth token request carries.
 */
export function parseMultipartFields(body: string, contentType: string): Record<string, string> {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const marker = boundary?.[1] ?? boundary?.[2];
  if (!marker) throw new SyntaxError('multipart body without a boundary');
  const fields: Record<string, string> = {};
  for (const part of body.split(`--${marker}`)) {
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd === -1) continue;
    const name = /content-disposition:[^\r\n]*\bname="([^"]*)"/i.exec(part.slice(0, headerEnd));
    if (!name) continue;
    // Each part's value ends with the CRLF that precedes the next boundary.
    fields[name[1]] = part.slice(headerEnd + 4).replace(/\r\n$/, '');
  }
  return fields;
}
