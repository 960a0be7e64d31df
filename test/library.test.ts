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
});
