/**
 * Output for CI systems: a JSON report file (any CI), and on GitHub Actions a
 * Markdown table in the job summary plus annotations (`::error::` for taken
 * names, `::notice::` for deferred ones) that show on the run's page.
 */
import { appendFile } from 'node:fs/promises';
import { writeAtomically } from '../io/atomic-write.js';
import type { NameOutcome } from '../core/outcomes.js';
import type { CliContext } from './context.js';
import { summaryLine } from './render.js';

export async function writeJsonReport(file: string, document: unknown): Promise<void> {
  await writeAtomically(file, `${JSON.stringify(document, null, 2)}\n`);
}

export function onGitHubActions(env: NodeJS.ProcessEnv): boolean {
  return env.GITHUB_ACTIONS === 'true' || Boolean(env.GITHUB_STEP_SUMMARY);
}

/** Markdown cells: pipes and line breaks would break the table; HTML is neutralised. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ').replace(/</g, '&lt;');
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

export function annotations<S extends string>(outcomes: readonly NameOutcome<S>[], where: string): string[] {
  const out: string[] = [];
  for (const o of outcomes) {
    if (o.status === 'taken') {
      out.push(`::error title=${escapeProperty(`${o.name} is taken`)}::${escapeData(`${o.name} is taken on ${where} by someone else: ${o.detail}`)}`);
    } else if (o.status === 'deferred') {
      out.push(`::notice title=${escapeProperty(`${o.name} deferred`)}::${escapeData(`${o.name} waits for a later run: ${o.detail}`)}`);
    }
  }
  return out;
}

/** Everything CI-specific after a run: report file, job summary, annotations. */
export async function publishForCi<S extends string>(
  ctx: CliContext,
  options: { report?: string; title: string; where: string; document: unknown; outcomes: readonly NameOutcome<S>[]; extraLines?: readonly string[] },
): Promise<void> {
  if (options.report) await writeJsonReport(options.report, options.document);
  if (!onGitHubActions(ctx.env)) return;
  const summaryFile = ctx.env.GITHUB_STEP_SUMMARY;
  if (summaryFile) await appendFile(summaryFile, stepSummaryMarkdown(options.title, options.outcomes, options.extraLines ?? []));
  // Annotations go to stderr: the runner reads workflow commands from both streams, and stdout may be --json.
  for (const line of annotations(options.outcomes, options.where)) ctx.stderr.write(`${line}\n`);
}
