/**
 * Fresh directories for one test file: each call to the returned function makes
 * a new directory holding the given files; all of them go when the file's tests end.
 */
import { after, before } from 'node:test';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function workDirs(prefix: string): (files?: Record<string, string>) => string {
  let root = '';
  let counter = 0;
  before(() => {
    root = mkdtempSync(join(tmpdir(), prefix));
  });
  after(() => rmSync(root, { recursive: true, force: true }));
  return (files = {}) => {
    const dir = join(root, String(++counter));
    mkdirSync(dir);
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    return dir;
  };
}
