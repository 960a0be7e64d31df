/**
 * Each placeholder a run needs, built once: `check`'s expected digest, the
 * upload's sdist and its multipart body, and every re-send after a server
 * error use the same bytes. The sdist is reproducible, so building it again
 * could only cost time (about a millisecond of deflate and tar per name).
 *
 * One instance per run: its key is the name as spelled and the file name
 * (which carries the version), and a run builds every placeholder from one
 * set of options and one archive time. Only free names and claims keep their
 * bytes after the check, and a name's bytes are released once its upload is
 * settled, so a long list holds two placeholders at a time, not all.
 */
import type { PlaceholderMetadata, PlaceholderOptions } from '../core/metadata.js';
import { encodeMultipart, type MultipartBody } from '../core/multipart.js';
import { buildSdist, prepareSdists, type Sdist } from '../core/sdist.js';
import { buildUploadForm } from '../core/upload-form.js';

/** What an upload sends: the sdist (its name and digests are reported) and the body carrying it. */
export interface PreparedUpload {
  sdist: Sdist;
  body: MultipartBody;
}

export class PlaceholderBuilds {
  private readonly sdists = new Map<string, Sdist>();
  private readonly uploads = new Map<string, PreparedUpload>();

  constructor(private readonly mtime: number | undefined) {}

  sdist(meta: PlaceholderMetadata): Sdist {
    const key = keyOf(meta);
    let sdist = this.sdists.get(key);
    if (!sdist) {
      sdist = this.build(meta);
      this.sdists.set(key, sdist);
    }
    return sdist;
  }

  /** A placeholder needed once (another version's file to compare): built, not kept. */
  once(meta: PlaceholderMetadata): Sdist {
    return this.sdists.get(keyOf(meta)) ?? this.build(meta);
  }

  upload(meta: PlaceholderMetadata): PreparedUpload {
    const key = keyOf(meta);
    let prepared = this.uploads.get(key);
    if (!prepared) {
      const sdist = this.sdist(meta);
      prepared = { sdist, body: encodeMultipart(buildUploadForm(meta, sdist)) };
      this.uploads.set(key, prepared);
    }
    return prepared;
  }

  /** Makes ready what the first build would (core/sdist.ts prepareSdists), for a moment the run would otherwise wait. */
  prepare(options: PlaceholderOptions): void {
    prepareSdists(options, this.mtime === undefined ? {} : { mtime: this.mtime });
  }

  private build(meta: PlaceholderMetadata): Sdist {
    return buildSdist(meta, this.mtime === undefined ? {} : { mtime: this.mtime });
  }

  /** Forgets a placeholder whose upload is settled: it is never sent again this run. */
  release(meta: PlaceholderMetadata): void {
    const key = keyOf(meta);
    this.sdists.delete(key);
    this.uploads.delete(key);
  }
}

function keyOf(meta: PlaceholderMetadata): string {
  return `${meta.name}\u0000${meta.filename}`;
}
