/**
 * Is an existing project ours? Ours means it holds a pypi-reserve placeholder
 * of this owner: the exact file this configuration builds, or a placeholder
 * whose metadata names the same owner. Anything else is someone else's (taken),
 * which is the dangerous case, so doubt resolves to taken.
 */
import { PLACEHOLDER_KEYWORD } from './metadata.js';

export interface ExistingProject {
  files: { filename: string; sha256: string | undefined }[];
  /** The latest release's metadata (JSON API), when it was read. */
  info?: { author?: string | undefined; keywords: string[]; version?: string | undefined } | undefined;
}

export type Ownership =
  | { ours: true; how: 'exact-file' | 'placeholder-metadata'; detail: string }
  | { ours: false; detail: string; needsInfo?: boolean };

export function judgeOwnership(project: ExistingProject, expected: { filename: string; sha256: string; owner: string }): Ownership {
  const exact = project.files.find((f) => f.filename === expected.filename && f.sha256 === expected.sha256);
  if (exact) return { ours: true, how: 'exact-file', detail: `holds our placeholder ${exact.filename}` };
  if (project.files.length === 0) {
    return { ours: false, detail: 'the project exists with no files: its owner is unknown' };
  }
  // We only ever upload sdists; a wheel means someone published real builds.
  const foreign = project.files.find((f) => !f.filename.endsWith('.tar.gz'));
  if (foreign) return { ours: false, detail: `someone else publishes here (${foreign.filename})` };
  if (!project.info) return { ours: false, detail: 'exists', needsInfo: true };
  const { author, keywords, version } = project.info;
  if (author === expected.owner && keywords.includes(PLACEHOLDER_KEYWORD)) {
    return {
      ours: true,
      how: 'placeholder-metadata',
      detail: `holds a placeholder naming ${expected.owner}${version ? ` (version ${version})` : ''}`,
    };
  }
  return {
    ours: false,
    detail: `exists and is not a placeholder of ${expected.owner}${author ? ` (author: ${author})` : ''}`,
  };
}
