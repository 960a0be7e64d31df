/**
 * Registers every secret a run may use with the redactor, before the command
 * prints anything: an input error that quotes a line of `/proc/self/environ`
 * or `~/.pypirc` must not show a token the run would only have read at its
 * first upload. Only values are read here, never acted on: a missing or
 * unreadable source is no error now (the command reports it when, and if, it
 * needs it), and the hidden prompt still waits for the first upload.
 */
import { join } from 'node:path';
import type { Redactor } from '../registry/redact.js';
import { readTextFile, type TextReader } from '../io/read-once.js';
import { readText } from '../io/read-regular.js';
import { netrcPath } from '../sources/index-credentials.js';
import { parseNetrc } from '../sources/netrc.js';

/** The flags that may name or carry a secret, whatever the command. */
export interface SecretFlags {
  tokenFile?: string;
  pypirc?: string;
  indexCredentialsEnv?: string;
  fromIndex?: string[];
  indexUrl?: string;
  repositoryUrl?: string;
  preflightIndex?: string;
}

/** Environment variables that hold the upload token (README "Credentials"). */
const TOKEN_VARIABLES = ['PYPI_TOKEN', 'TWINE_PASSWORD'] as const;

export async function registerRunSecrets(flags: SecretFlags, env: NodeJS.ProcessEnv, secrets: Redactor, readFile: TextReader = readTextFile): Promise<void> {
  for (const name of TOKEN_VARIABLES) {
    const value = env[name]?.trim();
    if (value) secrets.addBasic(env.TWINE_USERNAME || '__token__', value);
  }
  // Through the run's reader: the token file may be a pipe, which only its first read empties (io/read-once.ts).
  if (flags.tokenFile) secrets.add((await readFile(flags.tokenFile).catch(() => undefined))?.trim());
  const pypirc = flags.pypirc ?? (env.HOME ? join(env.HOME, '.pypirc') : undefined);
  if (pypirc) registerPypircPasswords(await readIfPresent(pypirc, readFile), secrets);
  const netrc = netrcPath(env);
  if (netrc) registerNetrcPasswords(await readIfPresent(netrc, readFile), secrets);
  registerCredentialVariable(flags.indexCredentialsEnv, env, secrets);
  for (const url of [...(flags.fromIndex ?? []), flags.indexUrl, flags.repositoryUrl, flags.preflightIndex]) registerUrlUserinfo(url, secrets);
}

/** The value of the variable named by `index-credentials-env`: `user:secret` or a bare token. */
export function registerCredentialVariable(name: string | undefined, env: NodeJS.ProcessEnv, secrets: Redactor): void {
  const value = name ? env[name]?.trim() : undefined;
  if (!value) return;
  secrets.add(value);
  const colon = value.indexOf(':');
  if (colon !== -1) secrets.addBasic(value.slice(0, colon), value.slice(colon + 1));
}

/** `https://user:secret@host/…`: the password, and the Basic header it becomes. */
export function registerUrlUserinfo(url: string | undefined, secrets: Redactor): void {
  if (!url) return;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return;
  }
  const [user, password] = [decodeSafe(parsed.username), decodeSafe(parsed.password)];
  // A lone userinfo (`https://TOKEN@host/`) is a token sent as the Basic username.
  if (password) secrets.addBasic(user, password);
  else if (user) {
    secrets.add(user);
    secrets.addBasic(user, '');
  }
}

/**
 * Every `password` of every section, read line by line rather than with the
 * .pypirc parser: a file the parser refuses still holds secrets, and its
 * refusal quotes no lines.
 */
function registerPypircPasswords(text: string | undefined, secrets: Redactor): void {
  for (const line of text?.split(/\r?\n/) ?? []) {
    const password = /^\s*password\s*[=:]\s*(.*?)\s*$/i.exec(line)?.[1];
    if (password) secrets.add(password);
  }
}

function registerNetrcPasswords(text: string | undefined, secrets: Redactor): void {
  if (text === undefined) return;
  const netrc = parseNetrc(text);
  for (const entry of [...netrc.machines.values(), ...(netrc.default ? [netrc.default] : [])]) {
    if (entry.password) secrets.addBasic(entry.login, entry.password);
  }
}

/**
 * The file's text, or undefined if it cannot be read. A regular file (the
 * usual case) is read synchronously, and an absent one costs one stat: every
 * run looks for ~/.pypirc and ~/.netrc, and the asynchronous read loaded
 * node:fs/promises and started libuv's threads for it (about 5 ms of `check`
 * of one name). Anything else (a pipe) goes to the run's reader, which reads a
 * pipe once for the whole run and without blocking a thread (io/read-once.ts).
 */
function readIfPresent(file: string, readFile: TextReader): Promise<string | undefined> {
  return readText(file, readFile).catch(() => undefined);
}

function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
