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
