/**
 * The explanations and fixes printed with findings, in one place so the
 * wording stays consistent across pip, uv, Poetry and PDM.
 */

const PROXY_FIX =
  'use a single index-url pointing at a proxy that serves both your private packages and PyPI ' +
  'and blocks private names from the public side (`pypi-reserve export-rules` writes those rules); ' +
  'until then, claim the private names on PyPI with `pypi-reserve reserve`';

export const ADVICE = {
  pipExtraIndex: {
    why:
      'pip merges every extra index with the main index (PyPI unless index-url says otherwise) and installs ' +
      'the highest version found on any of them: whoever publishes a private package name on PyPI with a ' +
      'higher version gets their code installed (dependency confusion)',
    fix: `remove extra-index-url and ${PROXY_FIX}`,
  },
  pipFindLinks: {
    why:
      'pip searches find-links locations together with the index (PyPI unless index-url says otherwise), ' +
      'with no ordering between them, and installs the best version found anywhere: a private wheel here is ' +
      'replaced by a higher version of the same name published on PyPI',
    fix: `serve these files from the private index and ${PROXY_FIX}; or use find-links only together with --no-index`,
  },
  pipFindLinksNoIndex: {
    why: 'find-links with no-index: pip looks only at these locations, no index is merged with them',
  },
  pipIndexPrivate: {
    why:
      'the main index: with no extra index, pip looks nowhere else, which is the recommended setup when ' +
      'this is a proxy that serves PyPI too and blocks private names from the public side',
  },
  pipIndexMerged: {
    why: 'the main index; the extra-index-url entries of this file are merged with it (see those findings)',
  },
  pipIndexPublic: {
    why: 'the main index is public PyPI; safe as long as no extra index adds private packages',
  },
  pipSiteNotRead: 'pip does not read this file while PIP_CONFIG_FILE points to an existing file',

  uvUnsafeStrategy: {
    why: (strategy: string): string =>
      strategy === 'unsafe-best-match'
        ? 'uv searches every index and takes the best version across all of them, like pip with ' +
          'extra-index-url: a higher version of a private name published on PyPI wins'
        : 'uv searches every index and takes the first compatible version from any of them: when the ' +
          'private index has no version that fits the constraints, a private name published on PyPI is used',
    fix:
      'remove index-strategy (uv\'s default first-index takes each package only from the first index ' +
      'that has it), mark the private index `explicit = true` and pin private packages to it with ' +
      '[tool.uv.sources]',
  },
  uvPublicBeforePrivate: {
    why: (privateUrl: string): string =>
      `uv consults this public index before ${privateUrl}; with first-index the first index that has a ` +
      'name wins, so a private name published on PyPI shadows the private package',
    fix:
      'list the private index first (or mark it `explicit = true` and pin private packages to it with ' +
      '[tool.uv.sources]); keep PyPI as the default index, which uv consults last',
  },
  uvFindLinks: {
    why:
      'uv adds the files found here to the versions offered by the index that answers for a package (PyPI when ' +
      'no other index has the name) and takes the best of them: a higher version of a private name published on ' +
      'PyPI wins over a wheel here',
    fix:
      'publish these files on a private index marked `explicit = true` and pin the packages to it with ' +
      '[tool.uv.sources]; or reserve their names on PyPI with `pypi-reserve reserve`',
  },
  uvIgnoreAuthErrors: {
    why:
      'with 401 or 403 in ignore-error-codes, uv takes "unauthorized" from this index as "not here" and goes on ' +
      'to the next index, PyPI in the end: when credentials are missing or expired, a private name published on ' +
      'PyPI is installed instead',
    fix: 'remove 401 and 403 from ignore-error-codes so a credential problem stops the install',
  },
  uvPublicFromEnv: {
    why:
      'an index given in the environment or on the command line comes before every index of uv.toml and ' +
      "pyproject.toml: under uv's first-index strategy this public index answers first for any name it has, " +
      'so a private name published on it shadows the private package',
    fix: 'remove it (PyPI is already the default index, consulted last), or give the private index here instead',
  },
  uvPrivateFirstIndex: {
    why:
      "uv's default first-index strategy takes a package only from the first index that has it, and this " +
      'index comes before PyPI: private names found here cannot be shadowed; a private name missing ' +
      'from it would still resolve from PyPI, so pin private packages with [tool.uv.sources] or reserve ' +
      'their names on PyPI',
  },
  uvPrivateMerged: {
    why: (strategy: string): string =>
      `merged with the other indexes because index-strategy is ${strategy} (see that finding)`,
  },
  uvExplicit: {
    why: (pinned: string[]): string =>
      'explicit index: used only for packages pinned to it in [tool.uv.sources]' +
      (pinned.length > 0 ? ` (${pinned.join(', ')})` : ' (none pinned yet)') +
      ', the safe way to mix a private index with PyPI',
  },
  uvDefault: {
    why:
      'replaces PyPI as the default index: the recommended setup when this is a proxy that serves PyPI too ' +
      'and blocks private names from the public side',
  },
  uvStrategySafe: {
    why:
      'first-index: each package comes only from the first index that has it, which protects private names ' +
      'found on the private index',
  },

  poetrySecondary: {
    why:
      'Poetry searches a secondary source for every dependency together with the primary sources (PyPI here) ' +
      'and takes the best version across them, exactly like a primary source: a higher version of a private ' +
      'name published on PyPI wins',
    fix:
      'set `priority = "explicit"` on this source and pin each private package with `source = "<name>"`, ' +
      'or make a proxy the only primary source (secondary is deprecated since Poetry 1.5)',
  },
  poetrySupplemental: {
    why: (pinned: string[]): string =>
      'Poetry searches a supplemental source only for packages no higher-priority source ' +
      'has: a private name published on PyPI is taken from PyPI' +
      (pinned.length > 0
        ? `; only dependencies pinned to it with \`source = ...\` are safe (${pinned.join(', ')})`
        : ''),
    fix:
      'set `priority = "explicit"` on this source and pin each private package to it with ' +
      '`source = "<name>"` in [tool.poetry.dependencies], or make a proxy the only primary source',
  },
  poetryPrimaryWithPypi: {
    why:
      'Poetry searches every primary source for each dependency, PyPI included here, and takes the best ' +
      'version across them: a higher version of a private name on PyPI wins',
    fix:
      'set `priority = "explicit"` on this source and pin each private package with `source = "<name>"`, ' +
      'or remove PyPI and make a proxy the only primary source',
  },
  poetryPypiFirst: {
    why: 'PyPI is searched before this source: a private name published on PyPI shadows the private package',
    fix:
      'set `priority = "explicit"` on this source and pin each private package with `source = "<name>"`, ' +
      'or make this source primary and PyPI supplemental',
  },
  poetryPrimaryOnly: {
    why:
      'primary source with PyPI disabled: Poetry looks only at the configured primary sources, the recommended ' +
      'setup when this is a proxy that serves PyPI too',
  },
  poetryExplicit: {
    why: (pinned: string[]): string =>
      'explicit source: used only for dependencies pinned to it with `source = ...`' +
      (pinned.length > 0 ? ` (${pinned.join(', ')})` : ' (none pinned yet)'),
  },
  poetryPypiSource: {
    why: 'PyPI configured explicitly as a source',
  },

  pdmMerged: {
    why:
      'PDM treats all sources as equal and picks the best version across them, like pip with ' +
      'extra-index-url: a higher version of a private name on PyPI wins',
    fix:
      'name the proxy source `pypi` so it replaces PyPI, or bind private packages to this source with ' +
      '`include_packages = [...]` (and set [tool.pdm.resolution] respect-source-order = true)',
  },
  pdmConfigMerged: {
    fix:
      'set `pypi.url` to the proxy instead (it replaces PyPI), or bind private packages to this source with ' +
      '`include_packages = [...]`',
  },
  pdmBound: {
    why: (patterns: string[]): string => `only packages matching ${patterns.join(', ')} are taken from this source`,
  },
  pdmOrdered: {
    why: 'respect-source-order is on: the first source that has a package wins, and this source comes before PyPI',
  },
  pdmReplacesPypi: {
    why: 'this source is named `pypi` and replaces PyPI: the recommended setup when it is a proxy that serves PyPI too',
  },

  pipenvMerged: {
    why: (pinned: string[]): string =>
      'Pipenv passes every [[source]] to pip as index and extra indexes when it resolves: a package not pinned ' +
      'to this source with `index = "<name>"` is taken at the highest version found on any source, PyPI included' +
      (pinned.length > 0 ? ` (pinned here: ${pinned.join(', ')})` : ' (none pinned here)'),
    fix:
      'pin each private package with `index = "<name>"` in [packages], or keep a single [[source]] pointing at a ' +
      'proxy that serves PyPI too and blocks private names from the public side',
  },
  envPipExtra: {
    why: 'set in the environment, this extra index applies to every pip command in this shell or CI job',
  },
} as const;
