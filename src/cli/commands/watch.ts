/**
 * `pypi-reserve watch`: poll the index's newest-projects feed and raise the alarm
 * when a project with one of our names appears that is not provably ours.
 * `--once` polls once (for a CI schedule); otherwise it polls every --interval
 * until interrupted, quiet unless something happens.
 */
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { setTimeout as sleepFor } from 'node:timers/promises';
import { EXIT, InputError, ReserveError, type Problem } from '../../core/errors.js';
import { countStatuses } from '../../core/outcomes.js';
import { printable } from '../../core/text-rules.js';
import { parseDuration } from '../../core/duration.js';
import { namesDigest } from '../../core/watch-poll.js';
import { feedUrlFor } from '../../registry/feed.js';
import { isLoopbackHost } from '../../registry/http.js';
import { defaultCacheDir } from '../../registry/project-list-cache.js';
import { defaultStatePath, readWatchState, writeWatchState } from '../../io/watch-state.js';
import { pollOnce, type PollReport, type WatchOutcome, type WatchRequest } from '../../ops/watch.js';
import { addIndexOptions, type IndexFlags } from '../index-options.js';
import { addMetadataOptions, addNamesOptions, type MetadataFlags, type NamesFlags } from '../options.js';
import { addOwnershipOptions, type OwnershipFlags } from '../ownership-options.js';
import { renderTable } from '../render.js';
import { prepareIndexRun } from '../run-setup.js';
import { cliWorld } from '../world.js';
import { publishForCi, writeJsonReport } from '../ci-output.js';
import type { CliContext } from '../context.js';
import { runAlarmHook } from '../watch-hook.js';
import type { RegisterCommand } from './index.js';

interface WatchFlags extends NamesFlags, MetadataFlags, IndexFlags, OwnershipFlags {
  feedUrl?: string;
  once?: boolean;
  interval?: string;
  state?: string;
  hook?: string;
  json?: boolean;
  report?: string;
}

export const DEFAULT_INTERVAL = '10m';
const MIN_INTERVAL_MS = 60_000;

export const registerWatch: RegisterCommand = (program, ctx, setExit) => {
  const cmd = program
    .command('watch')
    .description("poll the index's newest-projects feed and raise the alarm when someone else creates one of your names");
  addNamesOptions(cmd);
  addMetadataOptions(cmd);
  addIndexOptions(cmd);
  addOwnershipOptions(cmd);
  cmd
    .option('--feed-url <url>', 'the newest-projects feed (default: https://pypi.org/rss/packages.xml, or TestPyPI\'s)')
    .option('--once', 'poll once and exit: 0 nothing of yours, 1 alarm (or nothing could be known: feed unreadable), 2 bad input')
    .option('--interval <duration>', `time between polls without --once, e.g. 15m or 1h (default ${DEFAULT_INTERVAL}, at least 1m)`)
    .option('--state <file>', 'where the last poll is remembered (default: a file in the user cache directory)')
    .option('--hook <command>', 'run this shell command once per alarm, the alarm as JSON on its stdin')
    .option('--json', 'print each poll as JSON (one document per line)')
    .option('--report <file>', 'also write the last poll as JSON to this file')
    .action(async (positional: string[], flags: WatchFlags) => {
      let intervalMs = 0;
      let feedUrl: string | undefined;
      const run = await prepareIndexRun(positional, flags, ctx, {
        extra: () => {
          const problems: Problem[] = [];
          intervalMs = intervalFrom(flags, problems);
          if (flags.feedUrl !== undefined) feedUrl = feedUrlProblem(flags.feedUrl, problems);
          if (flags.hook !== undefined && flags.hook.trim() === '') problems.push({ code: 'E_FLAG_INVALID', message: 'needs a command', value: flags.hook, source: '--hook' });
          if (flags.state !== undefined) statePathProblem(resolve(ctx.cwd, flags.state), flags.state, problems);
          if (problems.length) throw new InputError(problems);
        },
      });
      const { repository } = run.index;
      feedUrl ??= feedUrlFor(repository);
      if (!feedUrl) {
        throw new InputError([
          {
            code: 'E_NO_FEED',
            message: 'no newest-projects feed is known for this index',
            value: repository.indexUrl,
            source: '--index-url',
            hint: 'pass --feed-url with its feed; PyPI\'s is https://pypi.org/rss/packages.xml',
          },
        ]);
      }
      const statePath = flags.state !== undefined ? resolve(ctx.cwd, flags.state) : defaultStatePath(defaultCacheDir(ctx.env), feedUrl, namesDigest(run.names));
      if (!run.ownership) {
        ctx.stderr.write(
          'note: without --account or --organization, a project holding only a byte-identical copy of your placeholder counts as yours, ' +
            'and anyone can rebuild that copy: name your PyPI account so ownership is read from PyPI\'s record\n',
        );
      }
      const read = await readWatchState(statePath);
      if (read.problem) ctx.stderr.write(`warning: ${printable(read.problem)}; checking every name this time\n`);

      ctx.graceful = true;
      const world = await cliWorld(ctx, run.index.concurrency);
      const request: WatchRequest = {
        feedUrl,
        names: run.names,
        check: {
          options: run.options,
          repository,
          mtime: run.mtime,
          concurrency: run.index.concurrency,
          ...(run.ownership ? { ownership: run.ownership } : {}),
        },
        state: read.state,
      };
      const output = new PollOutput(ctx, flags, repository.indexUrl);
      let alarmed = false;
      let stateLost = false;
      try {
        for (let poll = 0; ; poll++) {
          const startedAt = ctx.now();
          let report: PollReport;
          try {
            report = await pollOnce(request, world);
          } catch (err) {
            // A wrong address or flag ends the run; a passing failure is said, and the next poll tries again.
            if (flags.once || poll === 0 || !(err instanceof ReserveError) || err.exitCode === EXIT.USAGE) throw err;
            ctx.stderr.write(`warning: ${err.message}\n`);
            if (!(await waitForNextPoll(ctx, intervalMs - (ctx.now() - startedAt)))) break;
            continue;
          }
          // The alarm goes out first: nothing after it (a state that cannot be written) may swallow it.
          alarmed ||= report.alarms.length > 0;
          await output.poll(report, Boolean(flags.once));
          for (const alarm of report.alarms) if (flags.hook) await runAlarmHook(flags.hook, alarmDocument(alarm, report, repository.indexUrl), ctx);
          request.state = report.state;
          const saved = await writeWatchState(statePath, report.state).then(
            () => true,
            (err: NodeJS.ErrnoException) => {
              ctx.stderr.write(`warning: cannot write the watch state ${statePath} (${err.code ?? err.message}): the next run checks every name\n`);
              return false;
            },
          );
          stateLost ||= !saved;
          if (flags.once) break;
          if (!(await waitForNextPoll(ctx, intervalMs - (ctx.now() - startedAt)))) break;
        }
      } finally {
        await world.close();
      }
      setExit(alarmed || stateLost ? EXIT.ATTENTION : EXIT.OK);
    });
};

/** What one poll prints: results to stdout, alarms and the poll line to stderr, CI outputs on --once. */
class PollOutput {
  constructor(
    private readonly ctx: CliContext,
    private readonly flags: WatchFlags,
    private readonly indexUrl: string,
  ) {}

  async poll(report: PollReport, once: boolean): Promise<void> {
    const { ctx, flags } = this;
    const shown = once ? report.results : report.results.filter((r) => r.status !== 'reserved' && r.status !== 'free');
    const document = pollDocument(report, this.indexUrl);
    if (flags.json) ctx.stdout.write(`${JSON.stringify(document)}\n`);
    else {
      if (shown.length) ctx.stdout.write(renderTable(shown));
      if (once) ctx.stdout.write(`${pollLine(report)}\n`);
    }
    if (!once && ctx.stderr.isTTY === true) ctx.stderr.write(`${new Date(ctx.now()).toISOString()} ${pollLine(report)}\n`);
    for (const r of report.results) {
      if (r.status === 'taken') ctx.stderr.write(`ALERT: ${r.name} is taken on ${this.indexUrl} by someone else: ${r.detail}\n`);
      else if (r.status === 'unknown') ctx.stderr.write(`ALERT: ${r.name} exists on ${this.indexUrl} and nothing proves it is yours: ${r.detail}\n`);
      else if (r.status === 'lookalike') ctx.stderr.write(`warning: lookalike of ${r.name}: ${r.detail}\n`);
    }
    if (once) {
      await publishForCi(ctx, {
        ...(flags.report ? { report: flags.report } : {}),
        title: 'pypi-reserve watch',
        where: this.indexUrl,
        document,
        outcomes: report.results,
        extraLines: [pollLine(report)],
      });
    } else if (flags.report) {
      // A long-running watch is no CI step: only the report file, no job summary or annotations.
      await writeJsonReport(flags.report, document, ctx.secrets);
    }
  }
}

function pollLine(report: PollReport): string {
  const news = report.notModified ? 'no new projects' : `${report.newProjects} new project${report.newProjects === 1 ? '' : 's'}`;
  const full = report.fullCheck ? `; checked all names (${GAP_REASONS[report.fullCheck]})` : '';
  const alarms = report.alarms.length;
  const lookalikes = report.results.filter((r) => r.status === 'lookalike').length;
  const verdict =
    alarms > 0
      ? `${alarms} alarm${alarms === 1 ? '' : 's'}`
      : lookalikes > 0
        ? `${lookalikes} lookalike${lookalikes === 1 ? '' : 's'}, no alarm`
        : 'nothing taken by anyone else';
  return `watch: ${news} on ${report.feedUrl}${full}: ${verdict}`;
}

const GAP_REASONS = {
  'no-state': 'no earlier poll to continue from',
  'dropped-off': 'more projects were created since the last poll than the feed holds',
  'names-changed': 'the list of names changed since the last poll',
} as const;

function pollDocument(report: PollReport, indexUrl: string) {
  return {
    poll: {
      feedUrl: report.feedUrl,
      index: indexUrl,
      polledAt: report.state.polledAt,
      notModified: report.notModified,
      newProjects: report.newProjects,
      fullCheck: report.fullCheck ?? null,
    },
    results: report.results,
    summary: { total: report.results.length, ...countStatuses(report.results), alarms: report.alarms.length },
  };
}

function alarmDocument(alarm: WatchOutcome, report: PollReport, indexUrl: string) {
  return { event: 'alarm', index: indexUrl, feedUrl: report.feedUrl, polledAt: report.state.polledAt, ...alarm };
}

function intervalFrom(flags: WatchFlags, problems: Problem[]): number {
  if (flags.once && flags.interval !== undefined) {
    problems.push({ code: 'E_FLAG_CONFLICT', message: '--interval has no meaning with --once (the schedule sets it)', value: flags.interval, source: '--interval' });
    return 0;
  }
  const text = flags.interval ?? DEFAULT_INTERVAL;
  const ms = parseDuration(text);
  if (ms === undefined || ms < MIN_INTERVAL_MS) {
    problems.push({
      code: 'E_FLAG_INVALID',
      message: ms === undefined ? 'takes a duration such as 90s, 15m or 1h' : 'must be at least 1m: the feed is cached for minutes, and faster polling only costs the index',
      value: text,
      source: '--interval',
    });
    return 0;
  }
  return ms;
}

/** https, or plain http to this machine only: an alarm must not be silenced by someone on the path. */
function feedUrlProblem(value: string, problems: Problem[]): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push({ code: 'E_URL_INVALID', message: 'is not a URL', value, source: '--feed-url' });
    return undefined;
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    problems.push({ code: 'E_URL_INVALID', message: 'must be https (plain http only to this machine)', value, source: '--feed-url' });
    return undefined;
  }
  if (url.username || url.password) {
    problems.push({ code: 'E_URL_INVALID', message: 'must not hold credentials: the feed is public', value: `${url.protocol}//***@${url.host}${url.pathname}`, source: '--feed-url' });
    return undefined;
  }
  return url.href;
}

/** The state is written after the first poll: a path that can never be written is refused before it. */
function statePathProblem(path: string, given: string, problems: Problem[]): void {
  const info = statSync(path, { throwIfNoEntry: false });
  if (info?.isDirectory()) problems.push({ code: 'E_STATE_PATH', message: 'is a directory; name a file', value: given, source: '--state' });
  const parent = statSync(dirname(path), { throwIfNoEntry: false });
  if (parent && !parent.isDirectory()) problems.push({ code: 'E_STATE_PATH', message: 'is inside something that is not a directory', value: given, source: '--state' });
}

/** Sleeps until the next poll; false when Ctrl-C came first. */
async function waitForNextPoll(ctx: CliContext, ms: number): Promise<boolean> {
  if (ctx.signal.aborted) return false;
  try {
    await sleepFor(Math.max(0, ms), undefined, { signal: ctx.signal });
    return true;
  } catch {
    return false;
  }
}
