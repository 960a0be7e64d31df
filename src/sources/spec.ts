/**
 * Where the names to protect come from. Paths are resolved against `cwd`;
 * each source remembers a label so every message can name it.
 */
export interface NamesSpec {
  /** Names given on the command line, in order. */
  positional: string[];
  /** Names files; `-` reads stdin. */
  namesFiles: string[];
  requirements: string[];
  pyproject: string[];
  /** Simple-index URLs of private indexes whose every project is a private name. */
  fromIndex: string[];
  /** The config file's directory and the requirements files it named (confined to that directory). */
  requirementsInConfig?: { dir: string; files: string[] };
  /** The from-index URLs that came from a config file (they get only exact `.netrc` machine entries). */
  fromIndexInConfig?: string[];
  /** Environment variable holding the private index's credential (token or user:password). */
  indexCredentialsEnv?: string;
  /** Glob patterns over names (case-insensitive, on the normalized name); empty = all. */
  include: string[];
  exclude: string[];
}

/** What one source contributed, for the report printed on stderr. */
export interface SourceContribution {
  source: string;
  /** Names read from the source. */
  found: number;
  /** Names it added that no earlier source had (and that include/exclude kept). */
  added: number;
  /** Names it gave that include/exclude left out. */
  filteredOut: number;
  /** Lines passed over because they name no project (requirements: paths, URLs without #egg=). */
  skipped: number;
}
