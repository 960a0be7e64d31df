/**
 * Runs the Warehouse stand-in as its own process, for manual runs and for
 * tools in other processes (twine, pip, a benchmark driver).
 *
 *   node dist/test/support/warehouse/serve.js [--port N] [--options '<json>' | --options-file f.json]
 *
 * Prints the base URL as the first line of stdout, then reads commands, one per
 * line, on stdin and answers each with one JSON line:
 *   advance <seconds>            move the clock (rate-limit window)
 *   faults <target> <json list>  queue faults, e.g. faults upload [{"status":503}]
 *   requests                     the request log
 *   project <name>               a project with its files (contents as sizes only)
 *   add-project <json>           seed a project (files as {filename, contentBase64, ...})
 *   quit                         stop (a closed stdin does not stop it; SIGTERM/SIGINT do)
 * In the options JSON, a seeded file gives its bytes as `contentBase64` (or
 * `contentText`) instead of a Buffer. The clock (`now`) cannot be set here.
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { startWarehouse } from './index.js';
import type { Fault, FaultTarget, SeedFile, SeedProject, WarehouseOptions } from './types.js';

type JsonSeedFile = Omit<SeedFile, 'content'> & { contentBase64?: string; contentText?: string };
type JsonSeedProject = Omit<SeedProject, 'files'> & { files?: JsonSeedFile[] };

function seedFromJson(p: JsonSeedProject): SeedProject {
  return {
    ...p,
    files: (p.files ?? []).map(({ contentBase64, contentText, ...rest }) => ({
      ...rest,
      content: contentBase64 !== undefined ? Buffer.from(contentBase64, 'base64') : Buffer.from(contentText ?? '', 'utf8'),
    })),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      options: { type: 'string' },
      'options-file': { type: 'string' },
    },
  });
  const raw = values['options-file'] ? readFileSync(values['options-file'], 'utf8') : (values.options ?? '{}');
  const json = JSON.parse(raw) as Omit<WarehouseOptions, 'projects'> & { projects?: JsonSeedProject[] };
  const options: WarehouseOptions = {
    ...json,
    projects: (json.projects ?? []).map(seedFromJson),
    ...(values.port ? { port: Number(values.port) } : {}),
    ...(values.host ? { host: values.host } : {}),
  };
  const warehouse = await startWarehouse(options);
  process.stdout.write(warehouse.url + '\n');

  const stop = async () => {
    await warehouse.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());

  const reply = (value: unknown) => process.stdout.write(JSON.stringify(value) + '\n');
  let quit = false;
  for await (const line of createInterface({ input: process.stdin })) {
    const [command = '', ...rest] = line.trim().split(' ');
    const arg = rest.join(' ');
    try {
      if (command === 'advance') {
        warehouse.advance(Number(arg));
        reply({ ok: true });
      } else if (command === 'faults') {
        const [target, ...list] = rest;
        warehouse.injectFaults(target as FaultTarget, ...(JSON.parse(list.join(' ')) as Fault[]));
        reply({ ok: true });
      } else if (command === 'requests') reply(warehouse.requests);
      else if (command === 'project') {
        const p = warehouse.project(arg);
        reply(p ? { ...p, files: p.files.map(({ content, ...f }) => ({ ...f, content: content.length })) } : null);
      } else if (command === 'add-project') {
        warehouse.addProject(seedFromJson(JSON.parse(arg) as JsonSeedProject));
        reply({ ok: true });
      } else if (command === 'quit') {
        quit = true;
        break;
      }
      else if (command) reply({ error: `unknown command: ${command}` });
    } catch (e) {
      reply({ error: (e as Error).message });
    }
  }
  // `quit` stops; a closed stdin (e.g. spawned with stdio 'ignore') keeps serving until SIGTERM/SIGINT.
  if (quit) await stop();
}

main().catch((e: unknown) => {
  process.stderr.write(`warehouse stand-in: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
