// Writes data/stdlib-blocked-names.txt, the normalized names PyPI blocks, from
// data/stdlib-module-names.txt (src/core/stdlib.ts says why both ship).
// Run after `npm run build` whenever the module list changes; a spec fails until then.
import { readFileSync, writeFileSync } from 'node:fs';
import { blockedNamesOf, STDLIB_BLOCKED_FILE, STDLIB_MODULES_FILE } from '../dist/src/core/stdlib.js';

writeFileSync(STDLIB_BLOCKED_FILE, `${blockedNamesOf(readFileSync(STDLIB_MODULES_FILE, 'utf8')).join('\n')}\n`);
console.log(`wrote ${STDLIB_BLOCKED_FILE}`);
