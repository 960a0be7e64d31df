/**
 * Warehouse's UploadForm (forklift/forms.py) and how legacy.py reports its
 * first error (fact sheet §4 step 3): field errors and the form-level
 * `full_validate` errors (key `__all__`) are collected, then the error shown is
 * for `name` if it has one, else the alphabetically first key.
 */
import type { MultiDict } from './multidict.js';
import { PROJECT_NAME_RE } from './names.js';
import { pyRepr } from './python-text.js';

export interface UploadFormData {
  name: string;
  filetype: 'sdist' | 'bdist_wheel';
  pyversion: string;
  comment?: string;
  digests: { md5?: string; sha256?: string; blake2_256?: string };
}

const CORE_METADATA_HELP = 'https://packaging.python.org/specifications/core-metadata';
const PRIORITY = ['metadata-version', 'name', 'version'];

/** wtforms reads the first value of a key. */
const first = (form: MultiDict, key: string): string | undefined => form.getAll(key)[0];

/** wtforms `Optional`: a missing or blank value stops validation without error. */
const blank = (v: string | undefined): boolean => v === undefined || v.trim() === '';

export function validateUploadForm(form: MultiDict): { data: UploadFormData } | { error: string } {
  const errors = new Map<string, string>();
  const name = first(form, 'name');
  const filetype = first(form, 'filetype');
  const pyversion = first(form, 'pyversion');
  const md5 = first(form, 'md5_digest');
  const sha256 = first(form, 'sha256_digest');
  const blake2 = first(form, 'blake2_256_digest');

  if (!name) errors.set('name', 'This field is required.');
  else if (!PROJECT_NAME_RE.test(name)) {
    errors.set('name', "Start and end with a letter or numeral containing only ASCII numeric and '.', '_' and '-'.");
  }
  if (!filetype) errors.set('filetype', 'This field is required.');
  else if (filetype !== 'sdist' && filetype !== 'bdist_wheel') errors.set('filetype', 'Use a known file type.');
  if (!blank(sha256) && !/^[A-F0-9]{64}$/i.test(sha256!)) {
    errors.set('sha256_digest', 'Use a valid, hex-encoded, SHA256 message digest.');
  }
  if (!blank(blake2) && !/^[A-F0-9]{64}$/i.test(blake2!)) {
    errors.set('blake2_256_digest', 'Use a valid, hex-encoded, BLAKE2 message digest.');
  }

  // full_validate runs even when fields failed (warehouse/forms.py Form.validate).
  let formError: string | undefined;
  if (filetype && filetype !== 'sdist' && !pyversion) {
    formError = 'Python version is required for binary distribution uploads.';
  } else if (filetype === 'sdist' && pyversion && pyversion !== 'source') {
    formError = "Use 'source' as Python version for an sdist.";
  } else if (!md5 && !sha256 && !blake2) {
    formError = 'Include at least one message digest.';
  }
  if (formError) errors.set('__all__', formError);

  if (errors.size === 0) {
    return {
      data: {
        name: name!,
        filetype: filetype as 'sdist' | 'bdist_wheel',
        pyversion: pyversion || 'source',
        ...(first(form, 'comment') ? { comment: first(form, 'comment')! } : {}),
        digests: {
          ...(md5 ? { md5 } : {}),
          ...(sha256 ? { sha256 } : {}),
          ...(blake2 ? { blake2_256: blake2 } : {}),
        },
      },
    };
  }
  const key = PRIORITY.find((k) => errors.has(k)) ?? [...errors.keys()].sort()[0]!;
  const message = errors.get(key)!;
  if (key === 'name') {
    // Only `name` has a description ("Name"), so only it gets the long form.
    const value = name ?? '';
    const chars = Array.from(value);
    const shown = chars.length > 60 ? chars.slice(0, 30).join('') + '...' + chars.slice(-30).join('') : value;
    return {
      error: `${pyRepr(shown)} is an invalid value for Name. Error: ${message} See ${CORE_METADATA_HELP} for more information.`,
    };
  }
  if (key === '__all__') return { error: `Error: ${message}` };
  return { error: `Invalid value for ${key}. Error: ${message}` };
}
