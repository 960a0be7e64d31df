/**
 * Where the upload token comes from, in this order (README "Credentials"):
 * `--token-file FILE`, `PYPI_TOKEN`, `TWINE_PASSWORD` (with `TWINE_USERNAME`,
 * default `__token__`), the repository's .pypirc password, then a hidden prompt
 * on an interactive terminal. No flag takes the token itself: argv is visible
 * to every process on the machine and lands in shell history.
 *
 * A PyPI API token names the index it belongs to (its macaroon location): it is
 * never sent to another host, whatever the configuration says. A value that is
 * not such a token (a private index's password) goes where it is configured to.
 */
import { ReserveError } from '../core/errors.js';
import { readPypiToken, uploadHostOf } from '../core/pypi-token.js';
import { redactUrl } from '../core/redact-url.js';
import type { PypircSection } from './pypirc.js';
import { fsReason } from '../io/fs-reason.js';
import { readTextFile, type TextReader } from '../io/read-once.js';
import { isLoopbackHost } from './http.js';

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
  /** Where the credential will be sent: a PyPI token for another index is refused. */
  uploadUrl?: string;
  /** How `tokenFile` is read: afresh unless given a run's reader (io/read-once.ts), which reads a pipe once. */
  readFile?: TextReader;
}

export async function resolveCredential(sources: CredentialSources): Promise<Credential> {
  const credential = await findCredential(sources);
  if (sources.uploadUrl !== undefined) assertTokenBoundTo(credential, sources.uploadUrl);
  return credential;
}

/**
 * The credential the run would use, without prompting and without failing when
 * there is none or its file is unreadable (the upload reports that when it is
 * due): lets a run refuse a token bound to another index before any request.
 */
export async function peekCredential(sources: Omit<CredentialSources, 'prompt'>): Promise<Credential | undefined> {
  return findCredential({ ...sources, prompt: undefined }).catch(() => undefined);
}

/** Throws (exit 2) when the token is a PyPI token whose index is not the host of `uploadUrl`. */
export function assertTokenBoundTo(credential: Credential, uploadUrl: string): void {
  const facts = readPypiToken(credential.token);
  if (!facts) return;
  const allowed = uploadHostOf(facts.location);
  const target = new URL(uploadUrl);
  const host = target.hostname.toLowerCase().replace(/\.$/, '');
  // The index's own host over https on its standard port; a test index on this machine may use any port, and http.
  const sameHost = host === allowed.replace(/\.$/, '');
  if (sameHost && ((target.protocol === 'https:' && target.port === '') || isLoopbackHost(host))) return;
  throw new ReserveError(
    'E_TOKEN_WRONG_HOST',
    `the token from ${credential.source} is a PyPI token for ${facts.location}: it is only ever sent to ${allowed}, not to ${target.host} (${redactUrl(uploadUrl)})`,
    { hint: `upload to https://${allowed}/legacy/, or give the credential of ${target.host} instead` },
  );
}

async function findCredential(sources: CredentialSources): Promise<Credential> {
  if (sources.tokenFile) {
    let text: string;
    try {
      text = await (sources.readFile ?? readTextFile)(sources.tokenFile);
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
