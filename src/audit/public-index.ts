/**
 * Which index URLs serve what anyone uploads to PyPI. A private name on any of
 * them can be planted by an attacker: PyPI and TestPyPI themselves, the widely
 * used public mirrors of PyPI, and whatever the user names with
 * `--public-index` (typically the company's own Nexus/Artifactory proxy of
 * PyPI, whose host also serves private repositories, so it is matched by URL
 * prefix rather than by host). A vendor index (download.pytorch.org) or a
 * private repository is not public in this sense.
 */

/** Host, optionally with a path prefix, of PyPI and of full public mirrors of it. */
export const KNOWN_PUBLIC_INDEXES: readonly string[] = [
  'pypi.org',
  'www.pypi.org',
  'pypi.python.org',
  'test.pypi.org',
  'testpypi.python.org',
  'mirrors.aliyun.com/pypi',
  'pypi.tuna.tsinghua.edu.cn',
  'mirrors.tuna.tsinghua.edu.cn/pypi',
  'mirrors.bfsu.edu.cn/pypi',
  'pypi.mirrors.ustc.edu.cn',
  'mirrors.ustc.edu.cn/pypi',
  'mirrors.cloud.tencent.com/pypi',
  'mirrors.tencentyun.com/pypi',
  'repo.huaweicloud.com/repository/pypi',
  'mirrors.huaweicloud.com/repository/pypi',
  'mirror.baidu.com/pypi',
  'pypi.douban.com',
  'pypi.doubanio.com',
  'mirrors.163.com/pypi',
  'mirror.sjtu.edu.cn/pypi',
  'mirrors.sjtug.sjtu.edu.cn/pypi',
  'pypi.mirrors.kakao.com',
  'mirror.kakao.com/pypi',
];

/** Answers "is this index public?" for every rule of one audit. */
export type IsPublicIndex = (url: string) => boolean;

/**
 * The known public indexes plus `extra` (URLs given with `--public-index` or
 * the config key `public-indexes`). Matching ignores scheme, credentials,
 * host case, a default port and trailing slashes, and respects path segments:
 * `nexus.corp/repository/pypi-proxy` matches `.../pypi-proxy/simple/` but
 * not `.../pypi-proxy-internal/`.
 */
export function publicIndexMatcher(extra: readonly string[] = []): IsPublicIndex {
  const prefixes = [...KNOWN_PUBLIC_INDEXES, ...extra.map((u) => comparable(u)).filter((u): u is string => u !== undefined)];
  return (url: string): boolean => {
    const candidate = comparable(url);
    if (candidate === undefined) return false;
    return prefixes.some((p) => candidate === p || candidate.startsWith(`${p}/`));
  };
}

/** `host/path` lower-cased host, no scheme, no userinfo, no port 443/80, no trailing slash; undefined when not a URL. */
function comparable(raw: string): string | undefined {
  const text = raw.trim();
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.host.toLowerCase()}${path}`;
}

/** The matcher with no user additions: PyPI, TestPyPI and the known mirrors. */
export const isPublicIndex: IsPublicIndex = publicIndexMatcher();
