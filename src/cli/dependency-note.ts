/**
 * After a check: a requirements file or a pyproject.toml names the public
 * projects a project depends on (`requests`, `numpy`) next to the private ones.
 * Those come back `taken`, which is right (someone else holds them) but not
 * news: one note says so and points at `include`, so the user can keep only
 * their own names. A note, not a verdict: the alert stays.
 */
import type { NameOutcome } from '../core/outcomes.js';

/** Public names spelled out in the note; the rest are counted. */
const SHOWN = 5;

export function publicDependenciesNote(outcomes: readonly NameOutcome<string>[], fromDependencies: ReadonlySet<string>): string | undefined {
  const publicNames = outcomes.filter((o) => o.status === 'taken' && fromDependencies.has(o.normalized)).map((o) => o.name);
  if (publicNames.length === 0) return undefined;
  const more = publicNames.length - SHOWN;
  const shown = `${publicNames.slice(0, SHOWN).join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
  const are = publicNames.length === 1 ? 'is a project' : 'are projects';
  return (
    `note: ${shown} from a requirements or pyproject source ${are} that someone else publishes: probably dependencies, not private names; ` +
    `keep only your own names with include (include = ["acme-*"] in [sources] of pypi-reserve.toml, or --include 'acme-*')`
  );
}
