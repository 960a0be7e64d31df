/**
 * The stand-in's database: projects (with roles), releases, files, the journal
 * serial and remembered filenames. The upload pipeline only writes here once
 * every check has passed, which gives Warehouse's transaction rollback for
 * free (§4: a failure after project creation rolls the project back).
 */
import { createHash } from 'node:crypto';
import { blake2b256Hex } from './blake2b.js';
import { normalize, ultranormalize } from './names.js';
import type { ProjectStatusName, ProjectView, SeedProject, StoredFile } from './types.js';
import { canonicalVersion, parseVersion } from './versions.js';

export interface Release {
  version: string;
  canonical: string;
  createdAt: number;
  /** Metadata fixed by the first upload of the release (§2 "Form vs file"). */
  metadata: Record<string, string | string[]>;
}

export interface Project {
  name: string;
  normalized: string;
  /** username → role, in the order roles were granted. */
  roles: Map<string, 'Owner' | 'Maintainer'>;
  organization: string | undefined;
  status: ProjectStatusName;
  releases: Map<string, Release>;
  files: StoredFile[];
  lastSerial: number;
  changedAt: number;
  /** When the project row was created (the RSS feed's pubDate, §10). */
  createdAt: number;
}

export function fileHashes(content: Buffer): { md5: string; sha256: string; blake2_256: string } {
  return {
    md5: createHash('md5').update(content).digest('hex'),
    sha256: createHash('sha256').update(content).digest('hex'),
    blake2_256: blake2b256Hex(content),
  };
}

/** The version part of a distribution filename, for seeded files without an explicit version. */
function versionFromFilename(filename: string): string {
  if (filename.endsWith('.whl')) return filename.split('-')[1] ?? '0';
  const stem = filename.replace(/\.(tar\.gz|zip)$/, '');
  return stem.slice(stem.lastIndexOf('-') + 1);
}

export class Store {
  readonly projects = new Map<string, Project>();
  readonly deletedFilenames = new Set<string>();
  serial = 0;
  indexChangedAt: number;

  constructor(private readonly now: () => number) {
    this.indexChangedAt = now();
  }

  find(name: string): Project | undefined {
    return this.projects.get(normalize(name));
  }

  /** First existing project whose ultranormalized name equals this one's (§4 step 6). */
  similar(name: string): Project | undefined {
    const key = ultranormalize(name);
    for (const p of this.projects.values()) if (ultranormalize(p.name) === key) return p;
    return undefined;
  }

  /** Any stored file, in any project, with this filename or BLAKE2 digest (§4 step 14). */
  existingFile(filename: string, blake2: string): StoredFile | undefined {
    for (const p of this.projects.values()) {
      for (const f of p.files) if (f.filename === filename || f.blake2_256 === blake2) return f;
    }
    return undefined;
  }

  private touch(project: Project): void {
    this.serial += 1;
    project.lastSerial = this.serial;
    project.changedAt = this.now();
    // The index lists every project's serial, so it changes too.
    this.indexChangedAt = this.now();
  }

  /** A new project with its creator as Owner, not yet saved (the upload saves it only if every check passes). */
  unsavedProject(name: string, owner: string): Project {
    return {
      name,
      normalized: normalize(name),
      roles: new Map([[owner, 'Owner']]),
      organization: undefined,
      status: 'active',
      releases: new Map(),
      files: [],
      lastSerial: 0,
      changedAt: this.now(),
      createdAt: this.now(),
    };
  }

  createProject(name: string, owner: string): Project {
    const project = this.unsavedProject(name, owner);
    this.projects.set(project.normalized, project);
    this.touch(project);
    return project;
  }

  /** Adds a file, creating its release on first use. */
  addFile(project: Project, file: StoredFile, releaseMetadata: Record<string, string | string[]>): void {
    const parsed = parseVersion(file.version);
    const canonical = parsed ? canonicalVersion(parsed) : file.version;
    if (!project.releases.has(canonical)) {
      project.releases.set(canonical, { version: file.version, canonical, createdAt: file.uploadedAt, metadata: releaseMetadata });
    }
    project.files.push(file);
    this.touch(project);
  }

  seed(seed: SeedProject): void {
    const project = this.find(seed.name) ?? this.createProject(seed.name, seed.owner);
    for (const m of seed.maintainers ?? []) if (!project.roles.has(m)) project.roles.set(m, 'Maintainer');
    if (seed.organization !== undefined) project.organization = seed.organization;
    for (const f of seed.files ?? []) {
      const version = f.version ?? versionFromFilename(f.filename);
      const metadata = { name: seed.name, version, ...(f.metadata ?? {}) };
      this.addFile(
        project,
        {
          filename: f.filename,
          version,
          ...fileHashes(f.content),
          size: f.content.length,
          content: f.content,
          packagetype: f.filename.endsWith('.whl') ? 'bdist_wheel' : 'sdist',
          uploadedAt: f.uploadedAt ?? this.now(),
          metadata,
        },
        metadata,
      );
    }
    if (seed.status !== undefined) project.status = seed.status;
  }

  view(name: string): ProjectView | undefined {
    const p = this.find(name);
    if (!p) return undefined;
    const owner = [...p.roles].find(([, role]) => role === 'Owner')?.[0] ?? '';
    return { name: p.name, owner, status: p.status, files: p.files.map((f) => ({ ...f })) };
  }

  /** A status change is a change of the project (its serial moves, as Warehouse journals it). */
  setStatus(name: string, status: ProjectStatusName): void {
    const project = this.find(name);
    if (!project) throw new Error(`no project ${name}`);
    project.status = status;
    this.touch(project);
  }

  releaseOf(project: Project, file: StoredFile): Release | undefined {
    const parsed = parseVersion(file.version);
    return project.releases.get(parsed ? canonicalVersion(parsed) : file.version);
  }
}
