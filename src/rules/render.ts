/**
 * Picks the generator for an output format: the one entry point the CLI and the
 * library API call.
 */
import type { Problem } from '../core/errors.js';
import { toProjectNames, type ProjectNameInput } from '../core/names.js';
import { renderArtifactoryExcludes, renderArtifactoryJson } from './artifactory.js';
import { renderPdmPins, renderPoetryPins, renderUvPins, privateIndexProblems, type PrivateIndex } from './client-pins.js';
import { codeArtifactProblems, renderCodeArtifactScript, type CodeArtifactOptions } from './codeartifact.js';
import { renderRulesJson } from './json.js';
import { nexusRuleProblems, renderNexusRule, type NexusRuleOptions } from './nexus.js';
import { renderRegexRules } from './regex.js';

export const RULE_FORMATS = ['nexus', 'artifactory', 'artifactory-json', 'codeartifact', 'regex', 'json', 'uv', 'poetry', 'pdm'] as const;
export type RuleFormat = (typeof RULE_FORMATS)[number];

/** The formats that pin names to the private index on the client, and so need its URL. */
export const CLIENT_PIN_FORMATS: readonly RuleFormat[] = ['uv', 'poetry', 'pdm'];

export interface RenderRulesOptions extends NexusRuleOptions {
  /** regex and nexus: one regex for all names instead of one per name. */
  combined?: boolean;
  codeArtifact?: CodeArtifactOptions;
  /** uv, poetry, pdm: the private index the names are pinned to. */
  privateIndex?: Partial<PrivateIndex>;
}

/** Every problem with the options for this format, found before anything is written. */
export function renderRulesProblems(format: RuleFormat, options: RenderRulesOptions = {}): Problem[] {
  return [
    ...nexusRuleProblems(options),
    ...codeArtifactProblems(options.codeArtifact ?? {}),
    ...privateIndexProblems(options.privateIndex ?? {}, CLIENT_PIN_FORMATS.includes(format)),
  ];
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
    case 'artifactory-json':
      return renderArtifactoryJson(normalized);
    case 'codeartifact':
      return renderCodeArtifactScript(normalized, options.codeArtifact);
    case 'json':
      return renderRulesJson(names, options);
    case 'uv':
      return renderUvPins(normalized, privateIndexOf(options));
    case 'poetry':
      return renderPoetryPins(normalized, privateIndexOf(options));
    case 'pdm':
      return renderPdmPins(normalized, privateIndexOf(options));
  }
}

function privateIndexOf(options: RenderRulesOptions): PrivateIndex {
  const url = options.privateIndex?.url;
  if (url === undefined) throw new TypeError('renderRules: the uv, poetry and pdm formats need options.privateIndex.url');
  return { url, ...(options.privateIndex?.name !== undefined ? { name: options.privateIndex.name } : {}) };
}
