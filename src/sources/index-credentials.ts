/**
 * Credentials for reading a private index, looked up in this order:
 *
 * 1. the URL's userinfo (`https://user:secret@host/simple/`);
 * 2. the environment variable named by `--index-credentials-env` /
 *    `index-credentials-env`, when it is set: `user:secret` is sent as Basic,
 *    a bare token (no `:`) as `Bearer` (Artifactory access tokens; GitLab,
 *    Nexus and devpi want `user:secret`);
 * 3. `~/.netrc` (`$NETRC` if set; `HOME` from the given env): the entry for the
 *    host, else `default` — as pip and curl do (only the host's own entry
 *    for a URL from a config file).
 *
 * The named variable comes before `.netrc` because naming it is an explicit
 * choice for this run, while `.netrc` is ambient (flag > env > rc).
 * Only the source is ever described, never the secret.
 */
import { readTextFile, type TextReader } from '../io/read-once.js';
import { join } from 'node:path';
import { netrcEntryFor, parseNetrc } from './netrc.js';

export interface IndexCredential {
  /** The Authorization header value. */
  authorization: string;
  /** Where it came from, for messages: `the URL (user alice)`, `~/.netrc (machine nexus.example, login ci)`. */
  source: string;
}

export interface IndexCredentialOptions {
  env: NodeJS.ProcessEnv;
  /** Name of the environment variable holding `user:secret` or a token. */
  credentialsEnv?: string;
  /**
   * Only an exact `.netrc` machine entry, never `default`: for a URL from a
   * config file, which may come with a pull request and name any host; the
   * `default` login is meant for hosts the user chooses.
   */
  exactNetrcMachine?: boolean;
  /** How `.netrc` is read: afresh unless given a run's reader (io/read-once.ts), which reads a pipe once. */
  readFile?: TextReader;
}

export interface ResolvedIndexCredential {
  credential?: IndexCredential;
  /** Why a configured source gave nothing (e.g. the named variable is unset), to explain a later 401. */
  notes: string[];
}

export async function resolveIndexCredential(url: URL, options: IndexCredentialOptions): Promise<ResolvedIndexCredential> {
  const notes: string[] = [];
  if (url.username !== '' || url.password !== '') {
    const user = decodeSafe(url.username);
    return { credential: { authorization: basic(user, decodeSafe(url.password)), source: `the URL (user ${user})` }, notes };
  }
  if (options.credentialsEnv) {
    const value = options.env[options.credentialsEnv];
    if (value !== undefined && value.trim() !== '') {
      return { credential: fromEnvValue(value.trim(), options.credentialsEnv), notes };
    }
    notes.push(`environment variable ${options.credentialsEnv} is ${value === undefined ? 'not set' : 'empty'}`);
  }
  const netrcFile = netrcPath(options.env);
  if (netrcFile) {
    const text = await (options.readFile ?? readTextFile)(netrcFile).catch(() => undefined);
    const entry = text === undefined ? undefined : netrcEntryFor(parseNetrc(text), url.hostname, { exact: options.exactNetrcMachine === true });
    if (entry && (entry.login !== '' || entry.password !== '')) {
      return {
        credential: { authorization: basic(entry.login, entry.password), source: `${netrcFile} (login ${entry.login || '(none)'})` },
        notes,
      };
    }
  }
  return { notes };
}

function fromEnvValue(value: string, variable: string): IndexCredential {
  const colon = value.indexOf(':');
  if (colon === -1) return { authorization: `Bearer ${value}`, source: `environment variable ${variable} (bearer token)` };
  const user = value.slice(0, colon);
  return { authorization: basic(user, value.slice(colon + 1)), source: `environment variable ${variable} (user ${user})` };
}

/** `$NETRC`, else `~/.netrc` (HOME from the given environment). */
export function netrcPath(env: NodeJS.ProcessEnv): string | undefined {
  if (env.NETRC) return env.NETRC;
  const home = env.HOME ?? env.USERPROFILE;
  return home ? join(home, '.netrc') : undefined;
}

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
