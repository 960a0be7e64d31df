/**
 * The legacy upload API's form, built from the same metadata object that wrote
 * PKG-INFO (fact sheet §2): Warehouse never reads PKG-INFO, it records what the
 * form says, so the two must be generated from one source to agree.
 *
 * Pure: no network, no FormData. The HTTP layer turns these fields into a
 * multipart body with its own client's FormData.
 */
import type { PlaceholderMetadata } from './metadata.js';
import type { Sdist } from './sdist.js';

export interface UploadField {
  name: string;
  value: string;
}

export interface UploadFile {
  name: 'content';
  filename: string;
  contentType: 'application/octet-stream';
  bytes: Uint8Array;
}

export interface UploadForm {
  /** In order; multi-use fields repeat their key. */
  fields: UploadField[];
  /** Sent last, as twine does. */
  file: UploadFile;
}

export function buildUploadForm(meta: PlaceholderMetadata, sdist: Sdist): UploadForm {
  const fields: UploadField[] = [];
  const add = (name: string, value: string | undefined) => {
    // Warehouse treats "" as absent; leaving empty fields out keeps the form honest.
    if (value !== undefined && value !== '') fields.push({ name, value });
  };
  add(':action', 'file_upload');
  add('protocol_version', '1');
  add('metadata_version', meta.metadataVersion);
  add('name', meta.name);
  add('version', meta.version);
  add('filetype', 'sdist');
  add('pyversion', 'source');
  add('summary', meta.summary);
  add('home_page', meta.url);
  add('author', meta.owner);
  add('author_email', meta.contact);
  add('keywords', meta.keywords.join(','));
  for (const classifier of meta.classifiers) add('classifiers', classifier);
  add('description', sdist.description);
  add('description_content_type', meta.descriptionContentType);
  // Hex digests: Warehouse compares md5 as hex despite what its docs say (§2 digest trap).
  add('md5_digest', sdist.md5);
  add('sha256_digest', sdist.sha256);
  return {
    fields,
    file: { name: 'content', filename: sdist.filename, contentType: 'application/octet-stream', bytes: sdist.bytes },
  };
}
