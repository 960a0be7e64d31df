// Injected by scripts/bundle.mjs into the CommonJS bundles, where esbuild maps `import.meta.url` to it.
export const import_meta_url = require('node:url').pathToFileURL(__filename).href;
