/**
 * Where the upload token comes from, in this order (README "Credentials"):
 * `--token-file FILE`, `PYPI_TOKEN`, `TWINE_PASSWORD` (with `TWINE_USERNAME`,
 * default `__token__`), the repository's .pypirc password, then a hidden prompt
 * on an interactive terminal. No flag takes the token itself: argv is visible
 * to every process on the machine and lands in shell history.
 */
import { readFile } from 'node:fs/promises';
import { ReserveError } from '../core/errors.js';
import type { PypircSection } from './pypirc.js';
import { fsReason } from '../sources/source-read.js';

export interface Credential {
  username: string;
  token: string;
  /** Where it came from, for messages (never the value). */
  source: string;
}

export interface CredentialSources {
  tokenFile?: string;
  env: NodeJS.ProcessEnv;
  pypircSection?: PypircSection;
  /** Asks on the terminal without echo; absent when not interactive. */
  prompt?: () => Promise<string>;
}

export async function resolveCredential(sources: CredentialSources): Promise<Credential> {
  if (sources.tokenFile) {
    let text: string;
    try {
      text = await readFile(sources.tokenFile, 'utf8');
    } catch (err) {
      throw new ReserveError('E_TOKEN_FILE', `cannot read the token file ${sources.tokenFile} (--token-file): ${fsReason(err)}`, {
        hint: 'pass the path of a file holding only the upload token, or set PYPI_TOKEN instead',
      });
    }
    return checked({ username: '__token__', token: text.trim(), source: `--token-file ${sources.tokenFile}` });
  }
  const env = sources.env;
  if (env.PYPI_TOKEN) return checked({ username: '__token__', token: env.PYPI_TOKEN.trim(), source: 'PYPI_TOKEN' });
  if (env.TWINE_PASSWORD) {
    return checked({ username: env.TWINE_USERNAME || '__token__', token: env.TWINE_PASSWORD.trim(), source: 'TWINE_PASSWORD' });
  }
  const section = sources.pypircSection;
  if (section?.password) {
    return checked({ username: section.username || '__token__', token: section.password.trim(), source: `.pypirc [${section.name}]` });
  }
  if (sources.prompt) return checked({ username: '__token__', token: (await sources.prompt()).trim(), source: 'prompt' });
  throw new ReserveError('E_NO_TOKEN', 'no upload token found', {
    hint: 'set PYPI_TOKEN (from a CI secret), pass --token-file FILE, or add a password to ~/.pypirc; --dry-run needs no token',
  });
}

function checked(credential: Credential): Credential {
  if (!credential.token) throw new ReserveError('E_TOKEN_EMPTY', `the token from ${credential.source} is empty`);
  if (/[\s\u0000-\u001f\u007f]/.test(credential.token)) {
    throw new ReserveError('E_TOKEN_MALFORMED', `the token from ${credential.source} contains white space or control characters`);
  }
  return credential;
}
