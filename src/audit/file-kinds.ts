/**
 * Which files in a project tree hold index configuration, decided by name.
 */
import type { ConfigFormat } from './types.js';

const REQUIREMENTS_NAME = /^(?:.*[-_.])?(?:requirements|reqs|constraints)(?:[-_.].*)?\.(?:txt|in)$/i;
const REQUIREMENTS_DIR = /^(?:requirements|reqs|constraints)$/i;
const SCRIPT_NAME =
  /^(?:dockerfile(?:\..+)?|.+\.dockerfile|containerfile|makefile|gnumakefile|.+\.mk|.+\.sh|.+\.bash|.+\.zsh|jenkinsfile|tox\.ini|.+\.ya?ml|\.env(?:\..+)?|.+\.env|\.envrc|.+\.ps1|.+\.bat|.+\.cmd)$/i;

/**
 * The format of a file met while scanning a directory, or undefined to skip it.
 * `siblings` are the other names in the same directory: a pip-tools `dev.in`
 * is recognised by its compiled `dev.txt` next to it.
 */
export function formatForScan(name: string, parentDir: string, siblings: ReadonlySet<string>): ConfigFormat | undefined {
  const lower = name.toLowerCase();
  if (lower === 'pip.conf' || lower === 'pip.ini') return 'pip-conf';
  if (lower === 'pyproject.toml') return 'pyproject';
  if (lower === 'uv.toml') return 'uv-toml';
  if (lower === 'pdm.toml') return 'pdm-toml';
  if (name === 'Pipfile') return 'pipfile';
  if (lower === 'uv.lock' || lower === 'poetry.lock' || lower === 'pdm.lock') return 'lock';
  if (REQUIREMENTS_NAME.test(name)) return 'requirements';
  if (/\.(?:txt|in)$/i.test(name) && REQUIREMENTS_DIR.test(parentDir)) return 'requirements';
  if (/\.in$/i.test(name) && siblings.has(name.replace(/\.in$/i, '.txt'))) return 'requirements';
  if (SCRIPT_NAME.test(name)) return 'script';
  return undefined;
}

/** The format of a file named on the command line: known names first, else a requirements file. */
export function formatForExplicitFile(name: string): ConfigFormat {
  const lower = name.toLowerCase();
  if (lower === 'uv.toml') return 'uv-toml';
  if (lower === 'pdm.toml' || lower === 'config.toml') return 'pdm-toml';
  if (lower === 'pipfile') return 'pipfile';
  if (lower === 'uv.lock' || lower === 'poetry.lock' || lower === 'pdm.lock') return 'lock';
  if (lower.endsWith('.toml')) return 'pyproject';
  if (lower.endsWith('.conf') || (lower.endsWith('.ini') && lower !== 'tox.ini')) return 'pip-conf';
  if (SCRIPT_NAME.test(name) && !REQUIREMENTS_NAME.test(name)) return 'script';
  return 'requirements';
}
