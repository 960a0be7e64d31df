/**
 * Index settings written in scripts rather than in a config file: Dockerfiles,
 * shell, PowerShell and batch scripts, Makefiles, CI workflows, tox.ini,
 * `.env` / `.envrc` files. Read line by line for
 * - variables that choose indexes, in every assignment spelling those files
 *   use (`NAME=v`, `export NAME=v`, Dockerfile `ENV NAME v`, YAML `NAME: v`,
 *   Make `NAME ?= v` / `+=` / `:=`, `set NAME=v`, `$env:NAME = "v"`, `setx NAME v`);
 * - the options of `pip install|download|wheel` and `uv pip|add|sync|...`
 *   command lines, continued over `\`, `` ` `` or `^` line ends;
 * - `pip config [--site|--user|--global] set global.extra-index-url ...`;
 * - the requirements and constraints files those commands and variables name,
 *   returned as includes so the audit opens them too.
 * A plain index-url / default index there is left alone.
 */
import { ADVICE } from './advice.js';
import { commandSettings, type CommandTool } from './command-line.js';
import { makeFinding, splitUrlList, type FindingSource } from './finding.js';
import { normalizePipOptionName } from './ini.js';
import { FILE_VARIABLES, variableFindings, type IndexVariable } from './rules-env.js';
import { findLinksFinding } from './rules-pip.js';
import { UNSAFE_UV_STRATEGIES } from './rules-uv.js';
import type { Finding } from './types.js';

export interface ScriptInclude {
  kind: 'requirement' | 'constraint';
  path: string;
  line: number;
}

export interface ScriptAudit {
  findings: Finding[];
  includes: ScriptInclude[];
}

/** The variables worth reporting when a script sets them: the ones that merge or reorder indexes. */
const SCRIPT_VARIABLES: readonly IndexVariable[] = [
  'PIP_EXTRA_INDEX_URL',
  'PIP_FIND_LINKS',
  'UV_INDEX_STRATEGY',
  'UV_INDEX',
  'UV_EXTRA_INDEX_URL',
  'UV_FIND_LINKS',
];
const VARIABLE_NAMES = [...SCRIPT_VARIABLES, ...FILE_VARIABLES].join('|');

/** A value: double-quoted, single-quoted, or up to white space or a shell/YAML delimiter. */
const VALUE = String.raw`(?:"([^"]*)"|'([^']*)'|([^\s"'\`;|&)]+))`;
/** `NAME=v`, `NAME ?= v`, `NAME += v`, `NAME := v`, `NAME: v`, `$env:NAME = v`. */
const ASSIGNMENT = new RegExp(String.raw`(?<![\w-])(?:\$env:)?(${VARIABLE_NAMES})\s*(?:\?=|\+=|::?=|=|:(?=\s))\s*${VALUE}`, 'g');
/** Dockerfile `ENV NAME value` and Windows `setx NAME value`. */
const SPACE_ASSIGNMENT = new RegExp(String.raw`\b(?:ENV|setx)\s+(${VARIABLE_NAMES})\s+${VALUE}`, 'gi');
/** `pip config [options] set [options] section.key value`. */
const PIP_CONFIG_SET = new RegExp(
  String.raw`\bconfig\s+(?:-[-\w]+\s+)*set\s+(?:-[-\w]+\s+)*["']?[A-Za-z:]+\.([-\w]+)["']?\s+${VALUE}`,
  'gi',
);
/** The start of a pip or uv command that takes index options; uv first so `uv pip install` is uv's. */
const COMMAND =
  /(?<![\w-])(?:(uv)\s+(?:pip\s+(?:install|compile|sync)|add|sync|lock|run|export|venv|tool\s+(?:install|run))|(?:python[\d.]*(?:\.exe)?\s+-m\s+)?(pip)[\d.]*(?:\.exe)?\s+(?:install|download|wheel))\b/g;
/** Where one shell command ends. */
const COMMAND_END = /&&|\|\||[;|)]|\s#/;
/** A line that continues on the next one (sh/Dockerfile, PowerShell, cmd). */
const CONTINUED = /(?:\\|`|\^)\s*$/;

export function scriptFindings(text: string, source: FindingSource): ScriptAudit {
  const findings: Finding[] = [];
  const includes: ScriptInclude[] = [];
  let continuing: CommandTool | undefined;

  text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\n|\r/)
    .forEach((raw, index) => {
      const line = index + 1;
      for (const match of [...raw.matchAll(ASSIGNMENT), ...raw.matchAll(SPACE_ASSIGNMENT)]) {
        const name = match[1] as string;
        const value = match[2] ?? match[3] ?? match[4] ?? '';
        if (name === 'PIP_REQUIREMENT' || name === 'PIP_CONSTRAINT') {
          const kind = name === 'PIP_REQUIREMENT' ? 'requirement' : 'constraint';
          for (const path of splitUrlList(value)) includes.push({ kind, path, line });
        } else if (value.trim() !== '') {
          findings.push(...variableFindings(name as IndexVariable, value, source, line, 'script'));
        }
      }
      for (const match of raw.matchAll(PIP_CONFIG_SET)) {
        const key = normalizePipOptionName(match[1] as string);
        const value = match[2] ?? match[3] ?? match[4] ?? '';
        if (key === 'extra-index-url') {
          for (const url of splitUrlList(value)) findings.push(pipExtra(source, line, `pip config set ${key}`, url));
        } else if (key === 'find-links') {
          for (const loc of splitUrlList(value)) findings.push(findLinksFinding(source, 'script', `pip config set ${key}`, loc, line, false));
        }
      }

      const commands: { tool: CommandTool; rest: string }[] = [];
      if (continuing !== undefined) commands.push({ tool: continuing, rest: raw });
      for (const match of raw.matchAll(COMMAND)) {
        commands.push({ tool: match[1] ? 'uv' : 'pip', rest: raw.slice((match.index ?? 0) + match[0].length) });
      }
      continuing = undefined;
      for (const command of commands) {
        const end = COMMAND_END.exec(command.rest);
        const words = command.rest.slice(0, end ? end.index : undefined);
        const tokens = words.split(/\s+/).filter((t) => t !== '').map(unquote);
        const result = commandFindings(command.tool, tokens, source, line);
        findings.push(...result.findings);
        includes.push(...result.includes);
        if (!end && CONTINUED.test(words)) continuing = command.tool;
      }
    });
  return { findings, includes };
}

function commandFindings(tool: CommandTool, tokens: string[], source: FindingSource, line: number): ScriptAudit {
  const findings: Finding[] = [];
  const includes: ScriptInclude[] = [];
  const settings = commandSettings(tool, tokens);
  const noIndex = settings.some((s) => s.option === 'no-index');
  for (const { option, value } of settings) {
    // A value on the next line, or an option name quoted in prose, is not a location.
    if (option !== 'no-index' && (value === '' || value.startsWith('-') || /^[`\\^]$/.test(value))) continue;
    const setting = `${tool === 'uv' ? 'uv' : 'pip'} --${option}`;
    switch (option) {
      case 'extra-index-url':
      case 'index':
        if (tool === 'pip') findings.push(pipExtra(source, line, setting, value));
        else findings.push(...variableFindings('UV_INDEX', value, source, line, 'script').map((f) => ({ ...f, setting })));
        break;
      case 'find-links':
        findings.push(
          tool === 'pip'
            ? findLinksFinding(source, 'script', setting, value, line, noIndex)
            : makeFinding(source, { line, kind: 'script', setting, value, severity: 'risky', why: ADVICE.uvFindLinks.why, fix: ADVICE.uvFindLinks.fix }),
        );
        break;
      case 'index-strategy':
        if (UNSAFE_UV_STRATEGIES.has(value)) {
          findings.push(
            makeFinding(source, {
              line,
              kind: 'script',
              setting,
              value,
              severity: 'risky',
              why: ADVICE.uvUnsafeStrategy.why(value),
              fix: ADVICE.uvUnsafeStrategy.fix,
            }),
          );
        }
        break;
      case 'requirement':
      case 'constraint':
        includes.push({ kind: option, path: value, line });
        break;
      default:
        break;
    }
  }
  return { findings, includes };
}

function pipExtra(source: FindingSource, line: number, setting: string, url: string): Finding {
  return makeFinding(source, {
    line,
    kind: 'script',
    setting,
    value: url,
    severity: 'risky',
    why: ADVICE.pipExtraIndex.why,
    fix: ADVICE.pipExtraIndex.fix,
  });
}

function unquote(token: string): string {
  return token.replace(/^["']+|["',]+$/g, '');
}
