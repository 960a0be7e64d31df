/**
 * The JSON API (fact sheet §1; warehouse legacy/api/json.py):
 * `/pypi/<name>/json` and `/pypi/<name>/<version>/json`. 301 to the normalized
 * name; `{"message": "Not Found"}` 404 for unknown projects AND for projects
 * without files (so it cannot tell a free name from a reserved one). The
 * `info` block is the release metadata the first upload sent, which is how a
 * client reads who a placeholder says it belongs to.
 */
import { pyIsoformat, pyJson } from './python-text.js';
import { type Answer, WarehouseError } from './responses.js';
import { fileUrl, visibleFiles } from './simple-api.js';
import type { Project, Release, Store } from './store.js';
import type { StoredFile } from './types.js';
import { canonicalVersion, parseVersion, sortVersionStrings } from './versions.js';

const NOT_FOUND: Answer = {
  status: 404,
  reason: 'Not Found',
  headers: { 'Content-Type': 'application/json; charset=utf-8' },
  body: '{"message": "Not Found"}',
};

function str(v: string | string[] | undefined): string | null {
  if (v === undefined) return null;
  return Array.isArray(v) ? (v[0] ?? null) : v;
}

function list(v: string | string[] | undefined): string[] | null {
  if (v === undefined) return null;
  return Array.isArray(v) ? v : [v];
}

function fileJson(baseUrl: string, f: StoredFile): Record<string, unknown> {
  const iso = pyIsoformat(f.uploadedAt);
  return {
    comment_text: str(f.metadata.comment) ?? '',
    digests: { blake2b_256: f.blake2_256, md5: f.md5, sha256: f.sha256 },
    downloads: -1,
    filename: f.filename,
    has_sig: false,
    md5_digest: f.md5,
    packagetype: f.packagetype,
    python_version: f.packagetype === 'sdist' ? 'source' : str(f.metadata.pyversion),
    requires_python: str(f.metadata.requires_python),
    size: f.size,
    upload_time: iso.slice(0, 19),
    upload_time_iso_8601: iso + 'Z',
    url: fileUrl(baseUrl, f),
    yanked: false,
    yanked_reason: null,
  };
}

function info(project: Project, release: Release, indexHost: string): Record<string, unknown> {
  const m = release.metadata;
  const urls: Record<string, string> = {};
  for (const pair of list(m.project_urls) ?? []) {
    const comma = pair.indexOf(',');
    urls[pair.slice(0, comma < 0 ? pair.length : comma).trim()] = comma < 0 ? '' : pair.slice(comma + 1).trim();
  }
  return {
    author: str(m.author),
    author_email: str(m.author_email),
    bugtrack_url: null,
    classifiers: list(m.classifiers) ?? [],
    description: str(m.description) ?? '',
    description_content_type: str(m.description_content_type),
    docs_url: null,
    download_url: str(m.download_url),
    downloads: { last_day: -1, last_month: -1, last_week: -1 },
    dynamic: list(m.dynamic),
    home_page: str(m.home_page),
    keywords: str(m.keywords),
    license: str(m.license),
    license_expression: str(m.license_expression),
    license_files: list(m.license_file),
    maintainer: str(m.maintainer),
    maintainer_email: str(m.maintainer_email),
    name: project.name,
    package_url: `https://${indexHost}/project/${project.name}/`,
    platform: str(m.platform),
    project_url: `https://${indexHost}/project/${project.name}/`,
    project_urls: Object.keys(urls).length ? urls : null,
    provides_extra: list(m.provides_extra),
    release_url: `https://${indexHost}/project/${project.name}/${release.version}/`,
    requires_dist: list(m.requires_dist),
    requires_python: str(m.requires_python),
    summary: str(m.summary),
    version: release.version,
    yanked: false,
    yanked_reason: null,
  };
}

/** The release shown in `info`: the highest final release, else the highest pre-release. */
function latestRelease(project: Project): Release | undefined {
  const versions = sortVersionStrings([...project.releases.values()].map((r) => r.version));
  const isPre = (v: string) => {
    const p = parseVersion(v);
    return !p || p.pre !== undefined || p.dev !== undefined;
  };
  const chosen = [...versions].reverse().find((v) => !isPre(v)) ?? versions[versions.length - 1];
  return [...project.releases.values()].find((r) => r.version === chosen);
}

function ok(body: Record<string, unknown>): Answer {
  return {
    status: 200,
    reason: 'OK',
    headers: { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'max-age=900, public' },
    body: pyJson(body),
  };
}

/** GET /pypi/<name>[/<version>]/json; throws WarehouseError for redirects. */
export function jsonRoute(pathname: string, store: Store, baseUrl: string, indexHost: string): Answer {
  const m = /^\/pypi\/([^/]+)\/(?:([^/]+)\/)?json\/?$/.exec(pathname);
  if (!m) return NOT_FOUND;
  let name = m[1]!;
  try {
    name = decodeURIComponent(name);
  } catch {
    /* keep as sent */
  }
  const project = store.find(name);
  if (!project) return NOT_FOUND;
  if (name !== project.normalized) {
    const rest = m[2] ? `${m[2]}/json` : 'json';
    throw new WarehouseError(301, undefined, { location: `/pypi/${project.normalized}/${rest}` });
  }
  const latest = latestRelease(project);
  if (!latest || project.files.length === 0) return NOT_FOUND;
  // A quarantined project's files are gone from the JSON API too (§10).
  const filesOf = (r: Release) =>
    visibleFiles(project).filter((f) => {
      const v = parseVersion(f.version);
      return (v ? canonicalVersion(v) : f.version) === r.canonical;
    });
  // PyPI's own record of who may publish (§10): roles and the owning organization.
  const ownership = {
    organization: project.organization ?? null,
    roles: [...project.roles].map(([user, role]) => ({ role, user })),
  };
  if (m[2]) {
    const wanted = parseVersion(m[2]);
    const release = [...project.releases.values()].find((r) => r.canonical === (wanted ? canonicalVersion(wanted) : m[2]));
    if (!release) return NOT_FOUND;
    return ok({
      info: info(project, release, indexHost),
      last_serial: project.lastSerial,
      ownership,
      urls: filesOf(release).map((f) => fileJson(baseUrl, f)),
      vulnerabilities: [],
    });
  }
  const releases: Record<string, unknown> = {};
  for (const v of sortVersionStrings([...project.releases.values()].map((r) => r.version))) {
    const r = [...project.releases.values()].find((x) => x.version === v)!;
    releases[v] = filesOf(r).map((f) => fileJson(baseUrl, f));
  }
  return ok({
    info: info(project, latest, indexHost),
    last_serial: project.lastSerial,
    ownership,
    releases,
    urls: filesOf(latest).map((f) => fileJson(baseUrl, f)),
    vulnerabilities: [],
  });
}
