/**
 * Preloaded into the CLI's process (`node --import`) by specs that need the file
 * system to fail the way a full or read-only disk does, which the test machine
 * cannot be made to do without mounting one. `FS_FAULT=CODE:N` lets the first N
 * `writeFile` calls through, then fails every later one with that errno code,
 * exactly as Node reports it. Test code only: nothing in src/ knows of it.
 */
import { createRequire, syncBuiltinESMExports } from 'node:module';

const [code, allowed] = (process.env.FS_FAULT ?? '').split(':');
if (code) {
  const fsPromises = createRequire(import.meta.url)('node:fs/promises') as typeof import('node:fs/promises');
  const writeFile = fsPromises.writeFile;
  let calls = 0;
  fsPromises.writeFile = (async (...args: Parameters<typeof writeFile>) => {
    if (++calls > Number(allowed ?? 0)) {
      throw Object.assign(new Error(`${code}: simulated failure, open '${String(args[0])}'`), { code, errno: -1, syscall: 'open', path: String(args[0]) });
    }
    return writeFile(...args);
  }) as typeof writeFile;
  // ESM `import { writeFile } from 'node:fs/promises'` sees the replacement only after this.
  syncBuiltinESMExports();
}
