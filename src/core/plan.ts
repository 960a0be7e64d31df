/**
 * Splits validated names into those PyPI already protects (standard-library
 * names: nobody can register them, so no sdist is built) and those that need a
 * placeholder, each with its metadata.
 */
import { placeholderMetadata, type PlaceholderMetadata, type PlaceholderOptions } from './metadata.js';
import type { ProjectName } from './names.js';
import { isStdlibBlocked } from './stdlib.js';

export type PlannedName =
  | { kind: 'protected-by-pypi'; name: ProjectName }
  | { kind: 'placeholder'; name: ProjectName; meta: PlaceholderMetadata };

export function planPlaceholders(names: readonly ProjectName[], options: PlaceholderOptions): PlannedName[] {
  return names.map((name) =>
    isStdlibBlocked(name.name)
      ? { kind: 'protected-by-pypi', name }
      : { kind: 'placeholder', name, meta: placeholderMetadata(name, options) },
  );
}

export const STDLIB_DETAIL = 'a Python standard-library module name: PyPI refuses to create it for anyone';
