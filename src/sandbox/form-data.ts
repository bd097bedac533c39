/** multipart/form-data, as browser form uploads (POST Object, presigned POST) send it. */
export interface FormField {
  value: Buffer;
  filename?: string;
  contentType?: string;
}

/** Fields by lower-cased name (S3 reads POST form field names case-insensitively); null when malformed. */
export function readFormData(body: Buffer, contentType: string): Map<string, FormField> | null {
  const boundaryMatch = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!boundaryMatch) return null;
  const delimiter = Buffer.from(`--${boundaryMatch[1] ?? boundaryMatch[2]}`);
  const fields = new Map<string, FormField>();
  let position = body.indexOf(delimiter);
  if (position === -1) return null;
  for (;;) {
    position += delimiter.length;
    if (body.subarray(position, position + 2).toString('latin1') === '--') return fields;
    const headersEnd = body.indexOf('\r\n\r\n', position);
    if (headersEnd === -1) return null;
    const partHeaders = body.subarray(position, headersEnd).toString('utf8');
    const next = body.indexOf(delimiter, headersEnd + 4);
    if (next === -1) return null;
    const name = /name="([^"]*)"/i.exec(partHeaders)?.[1]?.toLowerCase();
    if (name !== undefined && !fields.has(name)) {
      const field: FormField = { value: body.subarray(headersEnd + 4, Math.max(headersEnd + 4, next - 2)) };
      const filename = /filename="([^"]*)"/i.exec(partHeaders)?.[1];
      const type = /^content-type:\s*(.+)$/im.exec(partHeaders)?.[1]?.trim();
      if (filename !== undefined) field.filename = filename;
      if (type !== undefined) field.contentType = type;
      fields.set(name, field);
    }
    position = next;
  }
}
