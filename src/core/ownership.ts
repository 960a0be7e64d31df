/**
 * Is an existing project ours? Only what cannot be faked counts.
 *
 * Our placeholders are reproducible from public data, and their metadata
 * (owner, keyword) is public too, so neither "our file is there" nor "the
 * metadata names us" proves anything on its own: someone could upload our exact
 * file and then a release of their own, or copy our metadata. A project is ours
 * when *every* file on it is byte-identical to a placeholder this configuration
 * builds for that file's version. Anything else is `taken`, the alarm, because
 * doubt must resolve to the dangerous case.
 *
 * One case deserves a second look rather than silence: every file looks like a
 * placeholder naming this owner, but none is byte-identical (the owner changed
 * --contact, --url or --note since). That is a `claim` to verify; `reserve`
 * verifies it with the index itself (see ops/reserve.ts), `check` reports it as
 * taken with a detail saying how to settle it.
 */
import { PLACEHOLDER_KEYWORD } from './metadata.js';

export interface ExistingProject {
  files: { filename: string; sha256: string | undefined }[];
  /** The latest release's metadata (JSON API), when it was read. */
  info?: { author?: string | undefined; keywords: string[]; version?: string | undefined } | undefined;
}

/** sha256 of the placeholder this configuration builds under that file name, or undefined if it builds none. */
export type ExpectedDigest = (filename: string) => string | undefined;

export type Ownership =
  | { ours: true; detail: string }
  | { ours: false; detail: string; needsInfo?: true; claim?: 'placeholder-metadata' };

export function judgeOwnership(project: ExistingProject, expectedDigest: ExpectedDigest, owner: string): Ownership {
  const { files } = project;
  if (files.length === 0) return { ours: false, detail: 'the project exists with no files: its owner is unknown' };
  const matching = files.filter((f) => f.sha256 !== undefined && expectedDigest(f.filename) === f.sha256);
  if (matching.length === files.length) {
    return { ours: true, detail: `holds only our placeholder${files.length === 1 ? '' : 's'} ${files.map((f) => f.filename).join(', ')}` };
  }
  const foreign = files.filter((f) => !matching.includes(f));
  if (matching.length > 0) {
    return { ours: false, detail: `holds our placeholder ${matching[0]!.filename} but also ${foreign.map((f) => f.filename).join(', ')}: someone else publishes here` };
  }
  // We only ever upload sdists; a wheel means someone published real builds.
  const wheel = files.find((f) => !f.filename.endsWith('.tar.gz'));
  if (wheel) return { ours: false, detail: `someone else publishes here (${wheel.filename})` };
  if (!project.info) return { ours: false, detail: 'exists', needsInfo: true };
  const { author, keywords, version } = project.info;
  if (author === owner && keywords.includes(PLACEHOLDER_KEYWORD)) {
    return {
      ours: false,
      claim: 'placeholder-metadata',
      detail:
        `holds a placeholder naming ${owner}${version ? ` (version ${version})` : ''} that this configuration did not build ` +
        '(changed --contact, --url, --note or --version?); ownership unverified, so treated as taken: `reserve` verifies it with your token',
    };
  }
  return { ours: false, detail: `exists and is not a placeholder of ${owner}${author ? ` (author: ${author})` : ''}` };
}
