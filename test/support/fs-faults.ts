/**
 * Preloaded into the CLI's process (`node --import`) by specs that need the file
 * system to fail the way a full or read-only disk does, which the test machine
 * cannot be made to do without mounting one. `FS_FAULT=CODE:N` lets the first N
 * `writeFile` or `writeFileSync` calls through, then fails every later one with
 * that errno code, exactly as Node reports it. Test code only: nothing in src/
 * knows of it.
 */
import { createRequire, syncBuiltinESMExports } from 'node:module';

const [code, allowed] = (process.env.FS_FAULT ?? '').split(':');
if (code) {
  const require = createRequire(import.meta.url);
  const fsPromises = require('node:fs/promises') as typeof import('node:fs/promises');
  const fs = require('node:fs') as typeof import('node:fs');
  let calls = 0;
  const fault = (path: unknown) =>
    ++calls > Number(allowed ?? 0) ? Object.assign(new Error(`${code}: simulated failure, open '${String(path)}'`), { code, errno: -1, syscall: 'open', path: String(path) }) : undefined;
  const writeFile = fsPromises.writeFile;
  fsPromises.writeFile = (async (...args: Parameters<typeof writeFile>) => {
    const err = fault(args[0]);
    if (err) throw err;
    return writeFile(...args);
  }) as typeof writeFile;
  const writeFileSync = fs.writeFileSync;
  fs.writeFileSync = ((...args: Parameters<typeof writeFileSync>) => {
    const err = fault(args[0]);
    if (err) throw err;
    return writeFileSync(...args);
  }) as typeof writeFileSync;
  // ESM `import { writeFile } from 'node:fs/promises'` (and node:fs) sees the replacement only after this.
  syncBuiltinESMExports();
}
