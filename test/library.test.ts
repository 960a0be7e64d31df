/**
 * The package's library API, imported by its name as a user's program would.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

describe('the library API', () => {
  it('is importable by package name and builds the same placeholder the CLI does', async () => {
    const api = await import('pypi-reserve');
    const { names } = api.validateNames([{ name: 'Acme.Lib', source: 'test' }]);
    const { options } = api.validatePlaceholderInput({ owner: 'Acme' });
    assert.ok(options);
    const [planned] = api.planPlaceholders(names, options);
    assert.equal(planned?.kind, 'placeholder');
    const sdist = api.buildSdist(planned!.kind === 'placeholder' ? planned.meta : (undefined as never));
    assert.equal(sdist.filename, 'acme_lib-0.0.0.tar.gz');
    const form = api.buildUploadForm(planned!.kind === 'placeholder' ? planned.meta : (undefined as never), sdist);
    assert.deepEqual(form.fields.find((f) => f.name === 'sha256_digest')?.value, sdist.sha256);
  });

  it('exposes every operation the commands use', async () => {
    const api = await import('pypi-reserve');
    for (const name of ['buildPlaceholders', 'checkNames', 'reserveNames', 'gatherNames', 'loadConfig', 'loadProjectList', 'renderRules', 'auditIndexConfiguration']) {
      assert.equal(typeof (api as Record<string, unknown>)[name], 'function', name);
    }
  });
});

describe('functions that take names', () => {
  it('accept plain strings as the command line does, validating them', async () => {
    const api = await import('pypi-reserve');
    const { mkdtempSync, readdirSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'pypi-reserve-library-test-'));
    try {
      const results = await api.buildPlaceholders({ names: ['Acme.Lib', 'acme-cli'], options: { owner: 'Acme', version: '0.0.0' }, outDir: dir });
      assert.deepEqual(results.map((r) => r.normalized), ['acme-lib', 'acme-cli']);
      assert.deepEqual(readdirSync(dir).sort(), ['acme_cli-0.0.0.tar.gz', 'acme_lib-0.0.0.tar.gz']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    assert.equal(api.renderRules(['acme-lib'], 'regex'), api.renderRules(api.validateNames([{ name: 'acme-lib', source: 'x' }]).names, 'regex'));
    assert.throws(() => api.renderRules(['bad name'], 'regex'), (err: unknown) => err instanceof api.InputError && /renderRules names\[0\]: invalid project name/.test(err.message));
  });

  it('refuse anything else with a TypeError naming the shape expected', async () => {
    const api = await import('pypi-reserve');
    const world = { dispatcher: undefined as never, now: () => 0, sleep: async () => undefined, log: () => undefined };
    const request = (names: unknown) => ({ names, options: { owner: 'Acme', version: '0.0.0' }, repository: api.KNOWN_REPOSITORIES.testpypi }) as never;
    await assert.rejects(api.checkNames(request('acme-lib'), world), {
      name: 'TypeError',
      message: "checkNames: names must be an array of project names: strings ('acme-core') or objects from validateNames ({ name, normalized, source }), not a string",
    });
    await assert.rejects(api.checkNames(request([{ name: 'acme-lib' }]), world), { name: 'TypeError', message: /names\[0\] is an object with keys name$/ });
    assert.throws(() => api.renderRules([42] as never, 'regex'), { name: 'TypeError', message: /renderRules: .*names\[0\] is a number$/ });
  });

  it('refuse a project list that is not all names with a TypeError, before any request (the match against it comes later)', async () => {
    const api = await import('pypi-reserve');
    const { startLoopback } = await import('./support/loopback-server.js');
    const server = await startLoopback({ '/simple/*': (_req, res) => void res.writeHead(404).end('not found') });
    try {
      const world = { dispatcher: undefined as never, now: () => 0, sleep: async () => undefined, log: () => undefined };
      const repository = { name: 'custom', indexUrl: `${server.origin}/simple/`, uploadUrl: `${server.origin}/legacy/`, jsonApiUrl: undefined, isPypi: false };
      const request = (projectList: unknown) => ({ names: ['acme-lib', 'acme-cli'], options: { owner: 'Acme', version: '0.0.0' }, repository, projectList }) as never;
      await assert.rejects(api.checkNames(request(['requests', null]), world), { name: 'TypeError', message: 'checkNames: projectList[1] must be a project name (a string), got null' });
      await assert.rejects(api.checkNames(request('requests'), world), { name: 'TypeError', message: 'checkNames: projectList must be an array of project names, got string' });
      assert.deepEqual(server.requests, []);
    } finally {
      await server.close();
    }
  });
});

describe('checkNames while it reads', () => {
  it('hands each finding to onFinding as soon as it is judged, the first while the other reads are still under way', async () => {
    const api = await import('pypi-reserve');
    const { Agent } = await import('undici');
    const { startLoopback } = await import('./support/loopback-server.js');
    let answered = 0;
    const answer = (res: import('node:http').ServerResponse) => {
      answered++;
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    };
    const server = await startLoopback({
      '/simple/acme-0/': (_req, res) => answer(res),
      // Every other page takes its time, so it is still being read when acme-0 is answered.
      '/simple/*': (_req, res) => setTimeout(() => answer(res), 600),
    });
    const dispatcher = new Agent();
    try {
      const calls: { name: string; status: string; answered: number; checked: number }[] = [];
      let checked = 0;
      const world = { dispatcher, now: Date.now, sleep: async () => undefined, log: () => undefined, progress: (e: { type: string }) => void (e.type === 'checked' && checked++) };
      const repository = { name: 'custom', indexUrl: `${server.origin}/simple/`, uploadUrl: `${server.origin}/legacy/`, jsonApiUrl: undefined, isPypi: false };
      const names = Array.from({ length: 6 }, (_, i) => `acme-${i}`);
      const outcomes = await api.checkNames(
        { names, options: { owner: 'Acme', version: '0.0.0' }, repository, concurrency: 3, onFinding: (f) => calls.push({ name: f.planned.name.name, status: f.outcome.status, answered, checked }) },
        world as never,
      );
      assert.deepEqual(outcomes.map((o) => o.status), Array(6).fill('free'));
      // acme-0 first, with the other pages still being read and no name reported yet; each finding once, before its progress event.
      assert.deepEqual(calls[0], { name: 'acme-0', status: 'free', answered: 1, checked: 0 });
      assert.deepEqual(calls.map((c) => c.name).sort(), names);
      assert.ok(calls.every((c, i) => c.checked === i && c.status === 'free'));
    } finally {
      await dispatcher.close();
      await server.close();
    }
  });
});
