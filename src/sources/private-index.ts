/**
 * Lists every project of a private index (Nexus, Artifactory, devpi,
 * pypiserver, GitLab): each one is a private name to protect. The listing is
 * the index's simple root, fetched and parsed by src/index/project-list.ts
 * (PEP 691 JSON or PEP 503 HTML); this module adds credentials, the refusal
 * to send them in clear text, and messages that say what to do.
 */
import type { TextReader } from '../io/read-once.js';
import type { Dispatcher } from 'undici';
import { InputError, ReserveError, type Problem } from '../core/errors.js';
import { isValidProjectName } from '../core/names.js';
import { isLoopbackHost } from '../registry/http.js';
import { fetchProjectList, ProjectListFetchError } from '../registry/project-list.js';
import { indexUrlQueryProblem } from '../registry/repositories.js';
import { resolveIndexCredential } from './index-credentials.js';
import { redactUrl } from '../core/redact-url.js';

export interface PrivateIndexOptions {
  env: NodeJS.ProcessEnv;
  /** Environment variable holding `user:secret` or a bearer token. */
  credentialsEnv?: string;
  /** Only an exact `.netrc` machine entry, never `default` (a URL from a config file). */
  exactNetrcMachine?: boolean;
  dispatcher?: Dispatcher;
  timeoutMs?: number;
  /** How `.netrc` is read (a run's reader reads a pipe once; io/read-once.ts). */
  readFile?: TextReader;
}

export interface PrivateIndexListing {
  /** The URL with credentials masked: what every message shows. */
  label: string;
  projects: string[];
  /** Where the credential came from, if one was sent. */
  credentialSource?: string;
}

const ROOT_URL_HINT =
  'use the simple root of the repository: Nexus /repository/<repo>/simple/, Artifactory /artifactory/api/pypi/<repo>/simple/, ' +
  'devpi /<user>/<index>/+simple/, pypiserver /simple/, GitLab 15.1+ /api/v4/projects/<id>/packages/pypi/simple or /api/v4/groups/<id>/-/packages/pypi/simple';

/** Fetches the project list; any failure is thrown as an InputError with one problem naming the index. */
export async function listPrivateIndex(indexUrl: string, options: PrivateIndexOptions): Promise<PrivateIndexListing> {
  const label = redactUrl(indexUrl);
  const fail = (p: Omit<Problem, 'source'>): never => {
    throw new InputError([{ ...p, source: label }]);
  };
  let url: URL;
  try {
    url = new URL(indexUrl);
  } catch {
    return fail({ code: 'E_INDEX_URL', message: 'not a valid URL', hint: 'give the full URL of the simple index, e.g. https://nexus.example.com/repository/pypi-internal/simple/' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return fail({ code: 'E_INDEX_URL', message: `the index URL must be http(s), not ${url.protocol}` });
  }
  const query = indexUrlQueryProblem(url);
  if (query) return fail({ code: 'E_INDEX_URL', message: query, hint: ROOT_URL_HINT });

  const { credential, notes } = await resolveIndexCredential(url, options);
  if (credential && url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return fail({
      code: 'E_INDEX_INSECURE',
      message: `refusing to send credentials from ${credential.source} over plain http to ${url.hostname}`,
      hint: 'use the https:// URL of the index',
    });
  }
  url.username = '';
  url.password = '';

  let projects: string[];
  try {
    const response = await fetchProjectList(url.href, {
      ...(credential ? { headers: { authorization: credential.authorization } } : {}),
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    });
    // No validators are sent, so the answer is always a fresh listing.
    projects = response.status === 'fresh' ? response.projects : [];
  } catch (err) {
    if (!(err instanceof ReserveError)) throw err;
    return fail(describeFailure(err, credential?.source, notes));
  }

  // A page that is mostly not project names (a login or error page with links) is not a listing:
  // taking its link texts as names would reserve "Help" on PyPI.
  const invalid = projects.filter((name) => !isValidProjectName(name));
  if (projects.length > 0 && invalid.length * 2 > projects.length) {
    return fail({
      code: 'E_INDEX_NOT_SIMPLE',
      message: `not a simple-index project listing: ${invalid.length} of ${projects.length} links are not project names (e.g. ${JSON.stringify(invalid[0])})`,
      hint: ROOT_URL_HINT,
    });
  }
  return { label, projects, ...(credential ? { credentialSource: credential.source } : {}) };
}

function describeFailure(err: ReserveError, credentialSource: string | undefined, notes: string[]): Omit<Problem, 'source'> {
  const status = err instanceof ProjectListFetchError ? err.status : undefined;
  if (status === 401 || status === 403) {
    const what = status === 401 ? '401 Unauthorized' : '403 Forbidden';
    if (credentialSource) {
      return {
        code: 'E_INDEX_UNAUTHORIZED',
        message: `the index refused the credentials from ${credentialSource} (${what})`,
        hint: 'check the user and secret, and that they may read this repository',
      };
    }
    return {
      code: 'E_INDEX_UNAUTHORIZED',
      message: `the index wants credentials and none were found (${what})`,
      hint: `put them in the URL, in the variable named by --index-credentials-env, or in ~/.netrc${notes.length ? ` (${notes.join('; ')})` : ''}`,
    };
  }
  if (status === 404) {
    return { code: 'E_INDEX_NOT_FOUND', message: 'the index answered 404 Not Found', hint: ROOT_URL_HINT };
  }
  if (err.code === 'E_PROJECT_LIST_FORMAT') {
    return { code: 'E_INDEX_NOT_SIMPLE', message: stripUrlPrefix(err.message), hint: `${err.hint ? `${err.hint}; ` : ''}${ROOT_URL_HINT}` };
  }
  if (err.code === 'E_PROJECT_LIST_NETWORK') {
    return { code: 'E_INDEX_UNREACHABLE', message: err.message, hint: 'check the URL, the network and any proxy' };
  }
  return { code: 'E_INDEX_HTTP', message: err.message, ...(err.hint ? { hint: err.hint } : {}) };
}

/** project-list.ts prefixes format errors with the URL; the problem's source already names it. */
function stripUrlPrefix(message: string): string {
  return message.replace(/^https?:\/\/\S+: /, '');
}
