/**
 * Runs the composite action's script the way a GitHub runner does: the run
 * step's `env:` mapping from action.yml applied to the given inputs (defaults
 * filled in, as GitHub fills them; a composite action gets no INPUT_*
 * variables), plus the variables the runner sets for every step.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { baseEnv } from './cli.js';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));

export interface ActionYml {
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: { run?: string; env?: Record<string, string>; uses?: string; id?: string }[] };
}

/** action.yml as data, read by a real YAML parser (PyYAML, in the CI image). */
export function actionYml(): ActionYml {
  const script = 'import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))';
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, join(REPO, 'action.yml')], { encoding: 'utf8' })) as ActionYml;
}

export interface ActionRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** GITHUB_OUTPUT, parsed. */
  outputs: Record<string, string>;
  /** GITHUB_STEP_SUMMARY's content. */
  summary: string;
}

/** The env of the run step for these inputs: `${{ inputs.x }}` replaced by the input or its default. */
export function stepEnv(action: ActionYml, inputs: Record<string, string>): Record<string, string> {
  for (const name of Object.keys(inputs)) if (!(name in action.inputs)) throw new Error(`action.yml has no input ${name}`);
  const step = action.runs.steps.find((s) => s.id === 'run');
  const env: Record<string, string> = {};
  for (const [key, expression] of Object.entries(step?.env ?? {})) {
    const input = /^\$\{\{ inputs\.([a-z-]+) \}\}$/.exec(expression)?.[1];
    if (input === undefined) throw new Error(`unexpected env expression ${expression}`);
    env[key] = inputs[input] ?? action.inputs[input]?.default ?? '';
  }
  return env;
}

/** Runs scripts/github-action.sh in `workspace` (asynchronously: a stand-in may answer from this process). */
export async function runAction(
  workspace: string,
  inputs: Record<string, string>,
  options: { actionPath?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<ActionRun> {
  const runnerTemp = join(workspace, '_runner_temp');
  mkdirSync(runnerTemp, { recursive: true });
  const output = join(runnerTemp, 'github-output');
  const summary = join(runnerTemp, 'step-summary.md');
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const child = spawn('bash', [join(REPO, 'scripts', 'github-action.sh')], {
    cwd: workspace,
    env: baseEnv({
      HOME: workspace,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: workspace,
      GITHUB_ACTION_PATH: options.actionPath ?? REPO,
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: summary,
      RUNNER_TEMP: runnerTemp,
      ...stepEnv(actionYml(), inputs),
      ...options.env,
    }),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const status = await new Promise<number | null>((r) => child.on('close', r));
  const outputs = Object.fromEntries(
    readFileSync(output, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  return { status, stdout, stderr, outputs, summary: readFileSync(summary, 'utf8') };
}
