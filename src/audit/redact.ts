/**
 * Keeps secrets out of every line the audit prints. Index URLs often carry
 * credentials (`https://user:token@nexus/simple/`, `?token=...`); the audit
 * shows where an index is configured, never what unlocks it.
 */

/**
 * `scheme://userinfo@` anywhere in a text. Greedy up to the last `@` before the
 * path, so an unencoded `@` inside a password does not leave its tail visible.
 */
const USERINFO = /([a-z][a-z0-9+.-]*:\/\/)([^/\s"'<>]+)@/gi;

/** Query parameters whose value is a credential. */
const SECRET_PARAM = /([?&](?:[a-z0-9_-]*token|password|passwd|pwd|secret|api[_-]?key|key|auth|access[_-]?key|signature|sig)=)([^&#\s"']+)/gi;

/** A userinfo made only of variable references (`${TOKEN}`, `$USER:%PASS%`) names a secret without containing it. */
const ONLY_VARIABLES = /^(?:\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$[A-Za-z_][A-Za-z0-9_]*|%[A-Za-z_][A-Za-z0-9_]*%|:)+$/;

/** Replaces credentials in URLs found anywhere in `text` with `***`. */
export function redactSecrets(text: string): string {
  return text
    .replace(USERINFO, (_m, scheme: string, userinfo: string) =>
      ONLY_VARIABLES.test(userinfo) ? `${scheme}${userinfo}@` : `${scheme}***@`,
    )
    .replace(SECRET_PARAM, (_m, key: string) => `${key}***`);
}
