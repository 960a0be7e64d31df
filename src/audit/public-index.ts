/**
 * Which index URLs are open to anyone's uploads. Only those can be used to
 * plant a package under a private name; a private proxy or a vendor index
 * (e.g. download.pytorch.org) cannot.
 */

const PUBLIC_HOSTS = new Set(['pypi.org', 'www.pypi.org', 'pypi.python.org', 'test.pypi.org', 'testpypi.python.org']);

/** True when `url` points at public PyPI (or TestPyPI, which anyone can upload to as well). */
export function isPublicIndex(url: string): boolean {
  try {
    return PUBLIC_HOSTS.has(new URL(url.trim()).hostname.toLowerCase());
  } catch {
    return false;
  }
}
