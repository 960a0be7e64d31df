/**
 * Reads the index options of a pip or uv command written in a script line
 * (`RUN pip install --extra-index https://... -r deps/base.txt`).
 *
 * pip parses its command line with optparse, which accepts any unambiguous
 * prefix of a long option (`--extra-index` is `--extra-index-url`, `--ex` is
 * ambiguous with `--exists-action`) and short options with their value
 * attached or combined (`-qr base.txt`). uv parses with clap, which takes
 * option names exactly.
 */

export type CommandTool = 'pip' | 'uv';

/** What the audit cares about on a command line; every other option is `other`. */
export type CommandOption =
  | 'index-url'
  | 'extra-index-url'
  | 'index'
  | 'default-index'
  | 'find-links'
  | 'no-index'
  | 'index-strategy'
  | 'requirement'
  | 'constraint';

export interface CommandSetting {
  option: CommandOption;
  /** Empty for `--no-index`. */
  value: string;
}

/**
 * Long options of `pip install` in pip 23 (`create_command('install').parser._long_opt`),
 * the largest option set of the commands that take index options; abbreviations
 * are resolved against it, as pip does.
 */
export const PIP_INSTALL_LONG_OPTIONS: readonly string[] = [
  'abi', 'break-system-packages', 'cache-dir', 'cert', 'check-build-dependencies', 'client-cert', 'compile',
  'config-settings', 'constraint', 'debug', 'default-timeout', 'disable-pip-version-check', 'dry-run', 'editable',
  'exists-action', 'extra-index-url', 'find-links', 'force-reinstall', 'global-option', 'help', 'ignore-installed',
  'ignore-requires-python', 'implementation', 'index-url', 'install-option', 'isolated', 'local-log', 'log',
  'log-file', 'no-binary', 'no-build-isolation', 'no-cache-dir', 'no-clean', 'no-color', 'no-compile',
  'no-dependencies', 'no-deps', 'no-index', 'no-input', 'no-python-version-warning', 'no-use-pep517', 'no-user',
  'no-warn-conflicts', 'no-warn-script-location', 'only-binary', 'platform', 'pre', 'prefer-binary', 'prefix',
  'progress-bar', 'proxy', 'pypi-url', 'python', 'python-version', 'quiet', 'report', 'require-hashes',
  'require-venv', 'require-virtualenv', 'requirement', 'retries', 'root', 'root-user-action', 'source',
  'source-dir', 'source-directory', 'src', 'target', 'timeout', 'trusted-host', 'upgrade', 'upgrade-strategy',
  'use-deprecated', 'use-feature', 'use-pep517', 'user', 'verbose', 'version',
];

/** pip long options that take a value (the next token is theirs). */
const PIP_VALUE_OPTIONS = new Set([
  'abi', 'cache-dir', 'cert', 'client-cert', 'config-settings', 'constraint', 'default-timeout', 'editable',
  'exists-action', 'extra-index-url', 'find-links', 'global-option', 'implementation', 'index-url', 'install-option',
  'local-log', 'log', 'log-file', 'no-binary', 'only-binary', 'platform', 'prefix', 'progress-bar', 'proxy',
  'pypi-url', 'python', 'python-version', 'report', 'requirement', 'retries', 'root', 'root-user-action', 'source',
  'source-dir', 'source-directory', 'src', 'target', 'timeout', 'trusted-host', 'upgrade-strategy', 'use-deprecated',
  'use-feature', 'dest', 'destination-dir', 'destination-directory', 'wheel-dir',
]);

const PIP_MEANING: Record<string, CommandOption> = {
  'index-url': 'index-url',
  'pypi-url': 'index-url',
  'extra-index-url': 'extra-index-url',
  'find-links': 'find-links',
  'no-index': 'no-index',
  requirement: 'requirement',
  constraint: 'constraint',
};

/** pip short options: those taking a value, and what they mean to the audit. */
const PIP_SHORT_VALUE: Record<string, CommandOption | 'other'> = {
  i: 'index-url',
  f: 'find-links',
  r: 'requirement',
  c: 'constraint',
  e: 'other',
  t: 'other',
  d: 'other',
  w: 'other',
  b: 'other',
};

/** uv's option names (exact, clap does not abbreviate) that matter here; `requirements` is `uv pip`'s spelling. */
const UV_MEANING: Record<string, CommandOption> = {
  'index-url': 'index-url',
  'extra-index-url': 'extra-index-url',
  index: 'index',
  'default-index': 'default-index',
  'find-links': 'find-links',
  'no-index': 'no-index',
  'index-strategy': 'index-strategy',
  requirement: 'requirement',
  requirements: 'requirement',
  constraint: 'constraint',
  constraints: 'constraint',
};
const UV_SHORT: Record<string, CommandOption> = { i: 'index-url', f: 'find-links', r: 'requirement', c: 'constraint' };

/** optparse's `_match_abbrev`: the exact name, or the one long option that starts with `prefix`. */
export function resolvePipLongOption(prefix: string): string | undefined {
  if (prefix === '') return undefined;
  if (PIP_INSTALL_LONG_OPTIONS.includes(prefix)) return prefix;
  const candidates = PIP_INSTALL_LONG_OPTIONS.filter((o) => o.startsWith(prefix));
  return candidates.length === 1 ? candidates[0] : undefined;
}

/**
 * The settings among `tokens` (the words after `pip install` or `uv pip install`).
 * A value that is missing because the command continues on the next line is reported as empty.
 */
export function commandSettings(tool: CommandTool, tokens: readonly string[]): CommandSetting[] {
  const settings: CommandSetting[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    const take = (attached: string | undefined): string => (attached !== undefined ? attached : (tokens[++i] ?? ''));
    if (token.startsWith('--') && token.length > 2) {
      const eq = token.indexOf('=');
      const written = (eq === -1 ? token.slice(2) : token.slice(2, eq)).toLowerCase();
      const attached = eq === -1 ? undefined : token.slice(eq + 1);
      if (tool === 'pip') {
        const name = resolvePipLongOption(written);
        if (name === undefined) continue;
        const meaning = PIP_MEANING[name];
        const value = PIP_VALUE_OPTIONS.has(name) ? take(attached) : '';
        if (meaning) settings.push({ option: meaning, value });
      } else {
        const meaning = UV_MEANING[written];
        if (!meaning) continue;
        settings.push({ option: meaning, value: meaning === 'no-index' ? '' : take(attached) });
      }
    } else if (/^-[A-Za-z]/.test(token)) {
      // Combined short flags: `-qr file`, `-Ur file`, `-ihttps://...`.
      for (let c = 1; c < token.length; c++) {
        const letter = token[c] as string;
        const meaning = tool === 'pip' ? PIP_SHORT_VALUE[letter] : UV_SHORT[letter];
        if (meaning === undefined) continue;
        const rest = token.slice(c + 1);
        const value = take(rest === '' ? undefined : rest);
        if (meaning !== 'other') settings.push({ option: meaning, value });
        break;
      }
    }
  }
  return settings;
}
