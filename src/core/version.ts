/**
 * Placeholder versions: any PEP 440 public version, normalized as PyPI normalizes
 * it (the sdist filename must use the normalized form, fact sheet §4 step 19).
 */
import { clean, explain } from '@renovatebot/pep440';

export const DEFAULT_VERSION = '0.0.0';

export type VersionCheck = { ok: true; normalized: string } | { ok: false; reason: string };

export function checkVersion(version: string): VersionCheck {
  const parts = explain(version);
  if (!parts) return { ok: false, reason: 'not a valid PEP 440 version' };
  if (parts.local !== null) {
    return { ok: false, reason: 'local versions (with "+") are not allowed on PyPI' };
  }
  const normalized = clean(version);
  if (!normalized) return { ok: false, reason: 'not a valid PEP 440 version' };
  return { ok: true, normalized };
}
