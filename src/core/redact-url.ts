/**
 * Masks credentials in URLs before they are shown. Index URLs often carry them
 * (`https://user:token@nexus/simple/`, `?token=...`); messages say which index,
 * never what unlocks it. Display only: the URL is kept as written otherwise,
 * so the user recognises it. (Removing credentials to identify an index is
 * `stripCredentials` in registry/project-list.ts, a different job.)
 */

/**
 * `scheme://userinfo@` anywhere in a text. Greedy up to the last `@` before the
 * path, so an unencoded `@` inside a password does not leave its tail visible.
 */
const USERINFO_IN_TEXT = /([a-z][a-z0-9+.-]*:\/\/)([^/\s"'<>]+)@/gi;
/** The userinfo of one URL, which may also be scheme-relative or unparseable. */
const USERINFO_IN_URL = /\/\/[^/\s"'<>]+@/;

/** Query parameters whose value is a credential. */
const SECRET_PARAM = /([?&](?:[a-z0-9_-]*token|password|passwd|pwd|secret|api[_-]?key|key|auth|access[_-]?key|signature|sig)=)([^&#\s"']+)/gi;

/** A userinfo made only of variable references (`${TOKEN}`, `$USER:%PASS%`) names a secret without containing it. */
const ONLY_VARIABLES = /^(?:\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$[A-Za-z_][A-Za-z0-9_]*|%[A-Za-z_][A-Za-z0-9_]*%|:)+$/;

function maskSecretParams(text: string): string {
  return text.replace(SECRET_PARAM, (_m, key: string) => `${key}***`);
}

/**
 * One URL for a message: its userinfo becomes `***`
 * (`https://user:secret@host/simple/` → `https://***@host/simple/`), as do
 * secret query parameters. Also safe on strings that are not valid URLs.
 */
export function redactUrl(url: string): string {
  return maskSecretParams(url.replace(USERINFO_IN_URL, '//***@'));
}

/**
 * Every URL found anywhere in `text`, masked as `redactUrl` does; a userinfo
 * made only of variable references (as written in config files) is left as is.
 */
export function redactSecrets(text: string): string {
  return maskSecretParams(
    text.replace(USERINFO_IN_TEXT, (whole, scheme: string, userinfo: string) =>
      ONLY_VARIABLES.test(userinfo) ? whole : `${scheme}***@`,
    ),
  );
}

/**
 * `KEY=value`, `export KEY=value`, `password = value`, `token: value` at the start of a line.
 * Not `name==1.0` (a requirement), nor `https://…`, nor a specifier (`name>=1`, `name ~= 1`).
 */
const ASSIGNMENT = /^(\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_.-]*\s*(?:=(?!=)|:(?!\/\/))\s*)[^]*\S[^]*$/;

/**
 * A line quoted in an input error, with the value of an assignment masked.
 * Such a line is no name and no requirement: it comes from a file that is not a
 * names or requirements file (`-r /proc/self/environ`, `-r ~/.pypirc`), and its
 * value may be a secret this run knows nothing about. The key stays, so the user
 * still sees which line was meant. `looksLikeAssignment` tells a caller to say
 * so instead of quoting the line in its own message.
 */
export function looksLikeAssignment(line: string): boolean {
  return ASSIGNMENT.test(line);
}

export function maskAssignment(line: string): string {
  const m = ASSIGNMENT.exec(line);
  return m ? `${m[1]!}***` : line;
}
