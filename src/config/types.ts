/**
 * What a `pypi-reserve.toml` file may set. Every key is optional; flags override
 * the file, the file overrides defaults. Keys in the file are kebab-case
 * (`max-new`, `repository-url`); `line` records where each value came from so
 * later checks can point back at it.
 */
export interface ConfigValues {
  /** The file the values came from (absolute path). */
  file: string;
  owner?: string;
  contact?: string;
  url?: string;
  note?: string;
  version?: string;
  repository?: string;
  repositoryUrl?: string;
  indexUrl?: string;
  maxNew?: number;
  /** PyPI usernames whose projects are ours (`accounts = [...]`). */
  accounts?: string[];
  /** PyPI organization whose projects are ours. */
  organization?: string;
  /** Proxies of PyPI that `audit` counts as public, besides the known public indexes. */
  publicIndexes?: string[];
  sources: NamesSourcesConfig;
  /** 1-based line of each key as written in the file (e.g. `owner`, `sources.include`). */
  lines: Record<string, number>;
}

export interface NamesSourcesConfig {
  namesFiles?: string[];
  requirements?: string[];
  pyproject?: string[];
  fromIndex?: string[];
  /** Name of an environment variable holding the private index's credential. */
  indexCredentialsEnv?: string;
  include?: string[];
  exclude?: string[];
}
