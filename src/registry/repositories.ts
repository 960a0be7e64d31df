/**
 * Where to upload and where to look: the known repositories (fact sheet §1),
 * sections of a twine-style ~/.pypirc, and explicit URL overrides.
 */
import { InputError, ReserveError, type Problem } from '../core/errors.js';
import { isLoopbackHost } from './http.js';
import type { PypircSection } from './pypirc.js';
import { jsonApiRootBeside } from './json-api.js';
import { listingUrl } from './project-list.js';

export interface Repository {
  /** `pypi`, `testpypi`, a .pypirc section name, or `custom`. */
  name: string;
  uploadUrl: string;
  /** Simple index root, ending in `/` (e.g. https://pypi.org/simple/). */
  indexUrl: string;
  /**
   * JSON API root beside the index (https://pypi.org/pypi/ for https://pypi.org/simple/), when
   * the index is laid out like Warehouse's; used to read ownership and a placeholder's metadata.
   */
  jsonApiUrl: string | undefined;
  /** PyPI's quota applies by default (about 4 new projects a day). */
  isPypi: boolean;
  /** Where `indexUrl` came from (`--index-url`, `pypi-reserve.toml:4`, `derived from …`), for messages. */
  indexSource?: string;
}

export const KNOWN_REPOSITORIES: Readonly<Record<'pypi' | 'testpypi', Repository>> = {
  pypi: {
    name: 'pypi',
    uploadUrl: 'https://upload.pypi.org/legacy/',
    indexUrl: 'https://pypi.org/simple/',
    jsonApiUrl: 'https://pypi.org/pypi/',
    isPypi: true,
  },
  testpypi: {
    name: 'testpypi',
    uploadUrl: 'https://test.pypi.org/legacy/',
    indexUrl: 'https://test.pypi.org/simple/',
    jsonApiUrl: 'https://test.pypi.org/pypi/',
    isPypi: true,
  },
};

export interface RepositoryChoice {
  repository?: string;
  repositoryUrl?: string;
  indexUrl?: string;
  pypirc?: Map<string, PypircSection>;
  /** Where each value came from (`--repository-url`, `pypi-reserve.toml:4`), for messages. */
  sources?: { repository?: string; repositoryUrl?: string; indexUrl?: string };
}

/**
 * Resolves the repository. An explicit URL beats a .pypirc section, which beats
 * the built-in defaults; the simple index of a custom upload URL is derived for
 * the layouts known (deriveIndexUrl) unless given, and required otherwise.
 * Throws one InputError naming every problem.
 */
export function resolveRepository(choice: RepositoryChoice): Repository {
  const { repository, problems } = checkRepository(choice);
  if (!repository) throw new InputError(problems);
  return repository;
}

export function checkRepository(choice: RepositoryChoice): { repository?: Repository; problems: Problem[] } {
  const problems: Problem[] = [];
  const name = choice.repository ?? 'pypi';
  // Own keys only: `constructor` or `__proto__` is not a repository.
  const known = Object.hasOwn(KNOWN_REPOSITORIES, name) ? KNOWN_REPOSITORIES[name as 'pypi' | 'testpypi'] : undefined;
  const section = choice.pypirc?.get(name);
  if (!known && !section && !choice.repositoryUrl) {
    problems.push({
      code: 'E_REPOSITORY_UNKNOWN',
      message: `unknown repository '${name}'`,
      source: choice.sources?.repository ?? '--repository',
      // A .pypirc usually has [pypi] and [testpypi] sections of its own: each name once; [distutils] lists servers, it is not one.
      hint: `known repositories: ${[...new Set([...Object.keys(KNOWN_REPOSITORIES), ...(choice.pypirc?.keys() ?? [])])].filter((n) => n !== 'distutils').join(', ')} (sections of ~/.pypirc or --pypirc FILE count too), or give --repository-url`,
    });
  }
  const uploadUrl = choice.repositoryUrl ?? section?.repository ?? known?.uploadUrl;
  const uploadSource = choice.repositoryUrl ? (choice.sources?.repositoryUrl ?? '--repository-url') : `.pypirc [${name}] repository`;
  if (uploadUrl) urlProblem(uploadUrl, uploadSource, problems);
  else if (section) problems.push({ code: 'E_REPOSITORY_URL', message: `.pypirc section [${name}] has no repository URL`, source: '.pypirc' });
  const indexSource0 = choice.sources?.indexUrl ?? '--index-url';
  if (choice.indexUrl) urlProblem(choice.indexUrl, indexSource0, problems, { index: true });
  if (problems.length > 0 || !uploadUrl) return { problems };

  const sameAsKnown = Object.values(KNOWN_REPOSITORIES).find((r) => r.uploadUrl === uploadUrl);
  const derived = choice.indexUrl ?? sameAsKnown?.indexUrl ?? deriveIndexUrl(uploadUrl);
  if (derived === undefined) {
    problems.push({
      code: 'E_INDEX_URL_REQUIRED',
      message: 'cannot tell where the simple index of this upload URL is: it is not laid out like Warehouse (…/legacy/), devpi (/<user>/<index>/) or pypiserver (/)',
      value: uploadUrl,
      source: uploadSource,
      hint: 'give the index\'s simple root with --index-url (or index-url in the config file), e.g. https://host/simple/',
    });
    return { problems };
  }
  const indexUrl = listingUrl(derived);
  const indexSource = choice.indexUrl ? indexSource0 : sameAsKnown ? `the ${sameAsKnown.name} default` : `derived from ${uploadSource} ${uploadUrl}`;
  // The JSON API belongs to the index actually read, never to the upload host's default
  // (for pypi and testpypi this gives their known JSON API roots).
  const jsonApiUrl = jsonApiRootBeside(indexUrl);
  return {
    problems,
    repository: {
      name: choice.repositoryUrl ? (choice.repository ?? 'custom') : name,
      uploadUrl,
      indexUrl,
      jsonApiUrl,
      isPypi: sameAsKnown !== undefined,
      indexSource,
    },
  };
}

/**
 * The simple index beside an upload URL, for the layouts whose relation is
 * known: Warehouse (`…/legacy/` → `…/simple/`), devpi (`/<user>/<index>/` →
 * `/<user>/<index>/+simple/`) and pypiserver (uploads to `/`, index at
 * `/simple/`). Anything else is undefined: a guess would be read as an index
 * that answers 404 for every name, and every name would look free.
 */
export function deriveIndexUrl(uploadUrl: string): string | undefined {
  const url = new URL(uploadUrl);
  url.search = '';
  url.hash = '';
  const segments = url.pathname.split('/').filter(Boolean);
  if (segments[segments.length - 1] === 'legacy') {
    url.pathname = `/${[...segments.slice(0, -1), 'simple'].join('/')}/`;
  } else if (segments.length === 0) {
    url.pathname = '/simple/';
  } else if (segments.length === 2 && !segments.some((s) => s.startsWith('+'))) {
    url.pathname = `/${segments.join('/')}/+simple/`;
  } else {
    return undefined;
  }
  return url.href;
}

/**
 * Why an index address with a query or fragment is refused: project pages are
 * `<index>/<name>/`, which drops both, so names would be read elsewhere than
 * the listing that proved the index. Undefined for a plain address.
 */
export function indexUrlQueryProblem(url: URL): string | undefined {
  return url.search || url.hash ? 'an index URL cannot carry a query (?…) or fragment (#…): project pages are read at <index>/<name>/ without them' : undefined;
}

function urlProblem(value: string, source: string, problems: Problem[], options: { index?: boolean } = {}): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push({ code: 'E_URL_INVALID', message: 'not a valid URL', value, source });
    return;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    problems.push({ code: 'E_URL_INVALID', message: 'only http(s) URLs are supported', value, source });
  } else if (url.username || url.password) {
    // The value itself is not echoed: it holds a credential.
    problems.push({
      code: 'E_URL_CREDENTIALS',
      message: 'credentials in the URL are not accepted',
      source,
      hint: 'give the token through --token-file, PYPI_TOKEN or TWINE_PASSWORD',
    });
  } else if (options.index && indexUrlQueryProblem(url)) {
    problems.push({ code: 'E_URL_INVALID', message: indexUrlQueryProblem(url)!, value, source, hint: 'give the simple root alone, e.g. https://host/simple/' });
  }
}

/** Credentials travel only over TLS, except to this machine (tests, local proxies). */
export function assertSafeForCredentials(uploadUrl: string): void {
  const url = new URL(uploadUrl);
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new ReserveError('E_INSECURE_URL', `refusing to send credentials over plain http to ${url.host}`, {
      hint: 'use an https:// upload URL (plain http is allowed only for loopback addresses)',
    });
  }
}
