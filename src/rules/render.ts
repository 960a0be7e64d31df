/**
 * Picks the generator for an output format: the one entry point the CLI and the
 * library API call.
 */
import { toProjectNames, type ProjectNameInput } from '../core/names.js';
import { renderArtifactoryExcludes } from './artifactory.js';
import { renderRulesJson } from './json.js';
import { renderNexusRule, type NexusRuleOptions } from './nexus.js';
import { renderRegexRules } from './regex.js';

export const RULE_FORMATS = ['nexus', 'artifactory', 'regex', 'json'] as const;
export type RuleFormat = (typeof RULE_FORMATS)[number];

export interface RenderRulesOptions extends NexusRuleOptions {
  /** regex and nexus: one regex for all names instead of one per name. */
  combined?: boolean;
}

/** The text to write for the names in the given format, ending in a newline. */
export function renderRules(input: readonly ProjectNameInput[], format: RuleFormat, options: RenderRulesOptions = {}): string {
  const names = toProjectNames(input, 'renderRules');
  const normalized = names.map((n) => n.normalized);
  switch (format) {
    case 'regex':
      return renderRegexRules(normalized, options);
    case 'nexus':
      return renderNexusRule(normalized, options);
    case 'artifactory':
      return renderArtifactoryExcludes(normalized);
    case 'json':
      return renderRulesJson(names, options);
  }
}
