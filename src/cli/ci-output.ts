/**
 * Output for CI systems: a JSON report file (any CI), and on GitHub Actions a
 * Markdown table in the job summary plus annotations (`::error::` for every
 * status that fails the step, `::notice::` for deferred names) that show on the
 * run's page.
 */
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeAtomically } from '../io/atomic-write.js';
import type { NameOutcome } from '../core/outcomes.js';
import type { CliContext } from './context.js';
import type { Redactor } from '../registry/redact.js';
import { ReserveError } from '../core/errors.js';
import { markdownText } from '../core/escape.js';
import { printable } from '../core/text-rules.js';
import { summaryLine } from './render.js';
import { fsReason } from '../io/fs-reason.js';

export async function writeJsonReport(file: string, document: unknown, secrets: Redactor): Promise<void> {
  try {
    // The check before the run allowed a parent that does not exist yet.
    await mkdir(dirname(file), { recursive: true });
    await writeAtomically(file, secrets.redact(`${JSON.stringify(document, null, 2)}\n`));
  } catch (err) {
    throw new ReserveError('E_REPORT_WRITE', `cannot write the report ${file}: ${fsReason(err)}`);
  }
}

export function onGitHubActions(env: NodeJS.ProcessEnv): boolean {
  return env.GITHUB_ACTIONS === 'true' || Boolean(env.GITHUB_STEP_SUMMARY);
}

/** A Markdown cell: one line, every punctuation mark escaped, so no link, image, HTML or table break survives. */
function cell(text: string): string {
  return markdownText(printable(text));
}

export function stepSummaryMarkdown<S extends string>(title: string, outcomes: readonly NameOutcome<S>[], extraLines: readonly string[]): string {
  const lines = [`### ${title}`, '', summaryLine(outcomes), '', '| Name | Outcome | Detail |', '| --- | --- | --- |'];
  for (const o of outcomes) lines.push(`| ${cell(o.name)} | ${o.status === 'taken' ? '**taken**' : o.status} | ${cell(o.detail)} |`);
  if (extraLines.length) lines.push('', ...extraLines.map(cell));
  return `${lines.join('\n')}\n\n`;
}

/** Workflow-command escaping (GitHub's toolkit rules), so a detail cannot end the command early. */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** The statuses that make check or reserve fail the step: each gets an error annotation. */
export const FAILING_STATUSES: ReadonlySet<string> = new Set(['taken', 'prohibited', 'too-similar', 'failed', 'unknown', 'filename-reused']);

/** One workflow command (`::error::`, `::warning::`, `::notice::`) with a title, escaped so no text can end it early. */
function workflowCommand(kind: 'error' | 'warning' | 'notice', title: string, message: string): string {
  return `::${kind} title=${escapeProperty(title)}::${escapeData(message)}`;
}

export function errorAnnotation(title: string, message: string): string {
  return workflowCommand('error', title, message);
}

/**
 * `notAttempted`: the run stopped on something a later run cannot get past by
 * itself (its credential): the deferred names do not wait for a later run, they
 * were not attempted, and their detail says why.
 */
export function annotations<S extends string>(outcomes: readonly NameOutcome<S>[], where: string, notAttempted?: string): string[] {
  const out: string[] = [];
  for (const o of outcomes) {
    if (o.status === 'taken') {
      out.push(workflowCommand('error', `${o.name} is taken`, `${o.name} is taken on ${where} by someone else: ${o.detail}`));
    } else if (FAILING_STATUSES.has(o.status)) {
      out.push(workflowCommand('error', `${o.name} ${o.status}`, `${o.name} is ${o.status} on ${where}: ${o.detail}`));
    } else if (o.status === 'lookalike') {
      out.push(workflowCommand('warning', `lookalike of ${o.name}`, `${o.name}: ${o.detail}`));
    } else if (o.status === 'deferred' && notAttempted !== undefined) {
      const why = o.detail.startsWith('not attempted: ') ? o.detail : `not attempted: ${notAttempted}`;
      out.push(workflowCommand('notice', `${o.name} deferred`, `${o.name} ${why}`));
    } else if (o.status === 'deferred') {
      out.push(workflowCommand('notice', `${o.name} deferred`, `${o.name} waits for a later run: ${o.detail}`));
    }
  }
  return out;
}

/** Everything CI-specific after a run: report file, job summary, annotations. */
export async function publishForCi<S extends string>(
  ctx: CliContext,
  options: {
    report?: string;
    title: string;
    where: string;
    document: unknown;
    outcomes: readonly NameOutcome<S>[];
    extraLines?: readonly string[];
    /** The message of a stop on the credential: one `::error::` for it, and the deferred names were not attempted. */
    credentialStop?: string;
  },
): Promise<void> {
  if (options.report) await writeJsonReport(options.report, options.document, ctx.secrets);
  if (!onGitHubActions(ctx.env)) return;
  const summaryFile = ctx.env.GITHUB_STEP_SUMMARY;
  if (summaryFile) {
    const markdown = ctx.secrets.redact(stepSummaryMarkdown(options.title, options.outcomes, options.extraLines ?? []));
    await appendFile(summaryFile, markdown).catch((err: NodeJS.ErrnoException) =>
      ctx.stderr.write(`warning: cannot append to GITHUB_STEP_SUMMARY (${err.code ?? err.message})\n`),
    );
  }
  // Annotations go to stderr: the runner reads workflow commands from both streams, and stdout may be --json.
  // stderr redacts the run's secrets; the stop message names where the token came from, never the token.
  if (options.credentialStop !== undefined) ctx.stderr.write(`${errorAnnotation('pypi-reserve', options.credentialStop)}\n`);
  for (const line of annotations(options.outcomes, options.where, options.credentialStop)) ctx.stderr.write(`${line}\n`);
}
