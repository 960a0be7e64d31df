/**
 * The package's own directory (where package.json, templates/ and data/ live),
 * found by walking up from this module. The same code then works from the
 * compiled tree (dist/src/…) and from the single bundled CLI file (dist/…),
 * which sit at different depths.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'pypi-reserve') return dir;
    if (dirname(dir) === dir) throw new Error(`pypi-reserve: cannot find the package directory above ${start}`);
  }
}

export const PACKAGE_ROOT: string = findPackageRoot(dirname(fileURLToPath(import.meta.url)));
