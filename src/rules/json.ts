/**
 * Every format at once, for scripts that feed several proxies or keep the rules
 * under version control: one entry per name plus the ready Nexus rule.
 */
import type { ProjectName } from '../core/names.js';
import { artifactoryExcludes } from './artifactory.js';
import { nexusRoutingRule, type NexusRoutingRule, type NexusRuleOptions } from './nexus.js';
import { requestPathRegex } from './regex.js';

export interface NameRules {
  /** The spelling the user gave. */
  name: string;
  normalized: string;
  regex: string;
  artifactory: string[];
}

export interface RulesDocument {
  names: NameRules[];
  nexus: NexusRoutingRule;
}

export function rulesDocument(names: readonly ProjectName[], nexusOptions: NexusRuleOptions = {}): RulesDocument {
  return {
    names: names.map((n) => ({
      name: n.name,
      normalized: n.normalized,
      regex: requestPathRegex(n.normalized),
      artifactory: artifactoryExcludes(n.normalized),
    })),
    nexus: nexusRoutingRule(
      names.map((n) => n.normalized),
      nexusOptions,
    ),
  };
}

export function renderRulesJson(names: readonly ProjectName[], nexusOptions: NexusRuleOptions = {}): string {
  return `${JSON.stringify(rulesDocument(names, nexusOptions), null, 2)}\n`;
}
