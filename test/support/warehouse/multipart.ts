/**
 * Reads an upload body (multipart/form-data, or urlencoded) with busboy into
 * ordered fields and file parts, the shape of WebOb's `request.POST` MultiDict
 * (§2: repeated keys carry multi-valued fields). As WebOb does with cgi's
 * FieldStorage, a part is a file exactly when it has a non-empty filename, and
 * the filename is kept as sent (no basename), so path separators reach the
 * filename check (§4 step 11).
 */
import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';

export interface FilePart {
  field: string;
  filename: string;
  /** Part Content-Type; busboy (like cgi) defaults a missing one to text/plain. */
  mimeType: string;
  content: Buffer;
  /** Bytes received, even past the size cap. */
  size: number;
  /** More than `maxFileBytes` arrived; `content` holds only the first bytes. */
  truncated: boolean;
}

export interface ParsedBody {
  fields: Array<[string, string]>;
  files: FilePart[];
}

export function parseBody(req: IncomingMessage, maxFileBytes: number): Promise<ParsedBody> {
  return new Promise((resolve, reject) => {
    const result: ParsedBody = { fields: [], files: [] };
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        defParamCharset: 'utf8',
        preservePath: true,
        limits: { fieldSize: 256 * 1024 * 1024, fileSize: maxFileBytes + 1, fields: Infinity, files: Infinity, parts: Infinity },
      });
    } catch {
      // Not a form body: Warehouse sees an empty POST.
      req.resume();
      req.on('end', () => resolve(result));
      req.on('error', reject);
      return;
    }
    const pending: Array<Promise<void>> = [];
    parser.on('field', (name, value) => result.fields.push([name, value]));
    parser.on('file', (field, stream, info) => {
      pending.push(
        new Promise((done, fail) => {
          const chunks: Buffer[] = [];
          let size = 0;
          stream.on('data', (c: Buffer) => {
            size += c.length;
            chunks.push(c);
          });
          stream.on('error', fail);
          stream.on('end', () => {
            if (!info.filename) {
              // busboy calls an octet-stream part a file; for WebOb it is a plain value.
              result.fields.push([field, Buffer.concat(chunks).toString('utf8')]);
              return done();
            }
            // busboy stops delivering at the limit; count what it dropped as "more".
            const truncated = stream.truncated === true;
            result.files.push({
              field,
              filename: info.filename ?? '',
              mimeType: info.mimeType,
              content: Buffer.concat(chunks),
              size: truncated ? size + 1 : size,
              truncated,
            });
            done();
          });
        }),
      );
    });
    parser.on('error', reject);
    parser.on('close', () => {
      Promise.all(pending).then(() => resolve(result), reject);
    });
    req.pipe(parser);
  });
}
