/**
 * The pure core, as specifications: name rules, the names-file format, the
 * stdlib block, metadata validation, the escapers, template rendering, the
 * in-memory sdist and the upload form built from the same metadata.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { filenameStem, isValidProjectName, nameProblem, normalizeName, validateNames } from '../src/core/names.js';
import { parseNamesText } from '../src/core/names-file.js';
import { blockedNamesOf, isStdlibBlocked, STDLIB_BLOCKED_FILE, STDLIB_MODULES_FILE } from '../src/core/stdlib.js';
import { checkVersion } from '../src/core/version.js';
import { singleLineProblem } from '../src/core/text-rules.js';
import {
  placeholderMetadata,
  refusalMessage,
  summaryFor,
  validatePlaceholderInput,
  type PlaceholderOptions,
} from '../src/core/metadata.js';
import { headerValue, markdownText, pythonString, tomlString } from '../src/core/escape.js';
import { escaperFor, loadTemplates, renderFiles, renderTemplate } from '../src/core/templates.js';
import { buildSdist, DEFAULT_MTIME } from '../src/core/sdist.js';
import { buildUploadForm } from '../src/core/upload-form.js';
import { sourceDateEpoch } from '../src/core/epoch.js';
import { planPlaceholders } from '../src/core/plan.js';

const FULL: PlaceholderOptions = {
  owner: 'Example Corp',
  contact: 'security@example.com',
  url: 'https://example.com/security',
  note: 'Ask #platform.',
  version: '0.0.0',
};
const MINIMAL: PlaceholderOptions = { owner: 'Example Corp', version: '0.0.0' };

function projectName(name: string) {
  return { name, normalized: normalizeName(name), source: 'test' };
}

describe('project names', () => {
  it('normalize as PEP 503 says: lowercase, each run of - _ . becomes one -', () => {
    assert.equal(normalizeName('Foo.Bar_baz'), 'foo-bar-baz');
    assert.equal(normalizeName('x--y'), 'x-y');
    assert.equal(normalizeName('A'), 'a');
    assert.equal(normalizeName('a._-b'), 'a-b');
  });

  it('give the PEP 625 filename stem: normalized, with _ for -', () => {
    assert.equal(filenameStem('Foo.Bar_baz'), 'foo_bar_baz');
    assert.equal(filenameStem('x--y'), 'x_y');
    assert.equal(filenameStem('A'), 'a');
  });

  it('normalization is idempotent and a valid name always gives a stem of [a-z0-9] runs joined by _', () => {
    const validName = fc.stringMatching(/^[A-Za-z0-9]([A-Za-z0-9._-]{0,20}[A-Za-z0-9])?$/);
    fc.assert(
      fc.property(validName, (name) => {
        assert.equal(normalizeName(normalizeName(name)), normalizeName(name));
        assert.match(filenameStem(name), /^[a-z0-9]+(_[a-z0-9]+)*$/);
        assert.equal(nameProblem(name), undefined);
      }),
    );
  });

  it("accept exactly PyPI's pattern: ASCII letters and digits, with . _ - inside", () => {
    for (const ok of ['a', 'A', '0', 'a.b', 'a_b', 'a-b', 'Foo.Bar_baz', 'x--y', '1.2.3']) assert.ok(isValidProjectName(ok), ok);
    for (const bad of ['', '-a', 'a-', '.a', 'a_', 'a b', 'café', 'a/b', 'a+b', 'a\nb', ' a']) assert.ok(!isValidProjectName(bad), bad);
  });

  it('explain each kind of invalid name, keeping the value and its source', () => {
    const cases: [string, RegExp][] = [
      ['', /^empty project name$/],
      ['bad name', /contains white space/],
      ['-foo', /starts or ends with punctuation/],
      ['foo.', /starts or ends with punctuation/],
      ['café', /contains non-ASCII characters/],
      ['a\u001bb', /contains a control character/],
      ['a+b', /contains characters other than ASCII letters, digits/],
    ];
    for (const [name, why] of cases) {
      const p = nameProblem(name, 'names.txt:7');
      assert.ok(p, name);
      assert.equal(p.code, 'E_NAME_INVALID');
      assert.equal(p.value, name);
      assert.equal(p.source, 'names.txt:7');
      assert.match(p.message, why);
    }
  });

  it('a second spelling of one project is a problem naming both spellings and both places', () => {
    const { names, problems } = validateNames([
      { name: 'Foo.Bar', source: 'a.txt:1' },
      { name: 'ok', source: 'a.txt:2' },
      { name: 'foo_bar', source: 'a.txt:3' },
      { name: 'ok', source: 'a.txt:4' },
    ]);
    assert.deepEqual(names.map((n) => n.name), ['Foo.Bar', 'ok']);
    assert.equal(problems.length, 2);
    assert.equal(problems[0]?.code, 'E_NAME_DUPLICATE');
    assert.equal(problems[0]?.source, 'a.txt:3');
    assert.equal(problems[0]?.message, "'foo_bar' and 'Foo.Bar' (a.txt:1) are the same project 'foo-bar'");
    assert.equal(problems[1]?.message, 'duplicate name, already given at a.txt:2');
  });

  it("with duplicates: 'merge', keeps the first spelling in place and reports the one dropped", () => {
    const { names, problems, merged } = validateNames(
      [
        { name: 'B', source: 's:1' },
        { name: 'a', source: 's:2' },
        { name: 'b', source: 't:1' },
      ],
      { duplicates: 'merge' },
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(names, [
      { name: 'B', normalized: 'b', source: 's:1' },
      { name: 'a', normalized: 'a', source: 's:2' },
    ]);
    assert.deepEqual(merged, [{ kept: names[0], dropped: { name: 'b', source: 't:1' } }]);
  });

  it('reports invalid names and duplicates together, in input order', () => {
    const { problems } = validateNames([
      { name: 'x', source: '1' },
      { name: 'bad name', source: '2' },
      { name: 'X', source: '3' },
    ]);
    assert.deepEqual(problems.map((p) => [p.code, p.source]), [
      ['E_NAME_INVALID', '2'],
      ['E_NAME_DUPLICATE', '3'],
    ]);
  });
});

describe('the names-file format', () => {
  it('skips blank lines and comments, trims, and numbers lines from 1', () => {
    assert.deepEqual(parseNamesText('# header\n\nalpha\n  beta  # why\n#gamma\n\tdelta\t\n', 'n.txt'), [
      { name: 'alpha', source: 'n.txt:3' },
      { name: 'beta', source: 'n.txt:4' },
      { name: 'delta', source: 'n.txt:6' },
    ]);
  });

  it('accepts CRLF line ends and a UTF-8 byte-order mark', () => {
    assert.deepEqual(parseNamesText('\uFEFFalpha\r\n\r\nbeta\r\n', 'n.txt'), [
      { name: 'alpha', source: 'n.txt:1' },
      { name: 'beta', source: 'n.txt:3' },
    ]);
  });

  it('keeps what is not a comment as it is, for validation to judge', () => {
    assert.deepEqual(parseNamesText('bad name\ncafé', 's'), [
      { name: 'bad name', source: 's:1' },
      { name: 'café', source: 's:2' },
    ]);
  });

  it('an empty file or only comments gives no names', () => {
    assert.deepEqual(parseNamesText('', 's'), []);
    assert.deepEqual(parseNamesText('# nothing\n\n', 's'), []);
  });
});

describe('standard-library names', () => {
  it('are blocked by module name, by dotted prefix, and in any spelling', () => {
    for (const name of ['os', 'OS', 'os-path', 'os.path', 'os_path', 'xml-etree', 'xml.etree', 'XML_Etree', 'antigravity', 'this', 'test']) {
      assert.ok(isStdlibBlocked(name), name);
    }
  });

  it('ignore outer punctuation on the requested name', () => {
    assert.ok(isStdlibBlocked('-os-'));
    assert.ok(isStdlibBlocked('_os_'));
  });

  it('ignore outer punctuation on module names too, as Warehouse does (__main__ blocks main)', () => {
    assert.ok(isStdlibBlocked('main'));
    assert.ok(isStdlibBlocked('future'));
    assert.ok(isStdlibBlocked('__future__'));
  });

  it('ship as the derivation of the module list, so the two files cannot drift (node scripts/stdlib-blocked.mjs rewrites it)', () => {
    const shipped = readFileSync(STDLIB_BLOCKED_FILE, 'utf8');
    assert.equal(shipped, `${blockedNamesOf(readFileSync(STDLIB_MODULES_FILE, 'utf8')).join('\n')}\n`);
  });

  it('do not block ordinary names', () => {
    for (const name of ['requests', 'acme-utils', 'os-path-extra', 'xml-etreee']) assert.ok(!isStdlibBlocked(name), name);
  });

  it("give every shipped name, and every near miss, the list's own answer (a binary search of its text, which is sorted as JavaScript sorts)", () => {
    const shipped = readFileSync(STDLIB_BLOCKED_FILE, 'utf8').split('\n').filter(Boolean);
    assert.deepEqual(shipped, [...shipped].sort());
    const probes = [...shipped, ...shipped.map((n) => `${n}x`), ...shipped.map((n) => `x${n}`), 'x', 'o', 's'];
    for (const name of probes) assert.equal(isStdlibBlocked(name), shipped.includes(name), name);
  });

  it('go to protected-by-pypi in the plan, with no metadata built', () => {
    const plan = planPlaceholders([projectName('os-path'), projectName('mine')], MINIMAL);
    assert.deepEqual(plan.map((p) => p.kind), ['protected-by-pypi', 'placeholder']);
  });
});

describe('placeholder versions', () => {
  it('are normalized as PyPI normalizes them', () => {
    for (const [given, normalized] of [
      ['0.0.0', '0.0.0'],
      ['1.0-alpha', '1.0a0'],
      ['v1.0', '1.0'],
      ['V1.0', '1.0'],
      ['1.0.0.RC1', '1.0.0rc1'],
      ['1.0-1', '1.0.post1'],
      ['01.02', '1.2'],
      ['1.0.dev', '1.0.dev0'],
    ]) {
      assert.deepEqual(checkVersion(given!), { ok: true, normalized }, given);
    }
  });

  it('refuse local versions, which PyPI refuses', () => {
    const r = checkVersion('1.0+local');
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.reason : '', /local versions/);
  });

  it('refuse what is not PEP 440', () => {
    for (const bad of ['abc', '', '1.0\n', '1..0']) assert.equal(checkVersion(bad).ok, false, JSON.stringify(bad));
  });
});

describe('single-line text rules', () => {
  it('refuse everything any parser treats as a line break', () => {
    for (const ch of ['\n', '\r', '\u000b', '\u000c', '\u001c', '\u001d', '\u001e', '\u0085', '\u2028', '\u2029']) {
      assert.equal(singleLineProblem(`a${ch}b`), 'contains a line break', JSON.stringify(ch));
    }
  });

  it('refuse other C0 and C1 controls and DEL', () => {
    for (const ch of ['\u0000', '\t', '\u001b', '\u007f', '\u0080', '\u009b']) {
      assert.equal(singleLineProblem(`a${ch}b`), 'contains a control character', JSON.stringify(ch));
    }
  });

  it('refuse lone surrogates', () => {
    assert.match(singleLineProblem('a\ud800b') ?? '', /lone surrogate/);
  });

  it('accept quotes, backslashes, braces, percent signs, non-ASCII and emoji', () => {
    assert.equal(singleLineProblem(`"'\`\\ {} \${x} %s é 日本 🎉 👩‍💻`), undefined);
  });
});

describe('placeholder options', () => {
  it('need an owner; everything else is optional and the version defaults to 0.0.0', () => {
    assert.deepEqual(validatePlaceholderInput({ owner: 'Example Corp' }), { problems: [], options: MINIMAL });
    const missing = validatePlaceholderInput({});
    assert.equal(missing.options, undefined);
    assert.deepEqual(missing.problems.map((p) => [p.code, p.source]), [['E_OWNER_MISSING', '--owner']]);
  });

  it('report every problem at once, each naming its option and value', () => {
    const { options, problems } = validatePlaceholderInput({
      owner: ' padded',
      contact: 'nope',
      url: 'ftp://example.com/',
      note: 'a\nb',
      version: '1.0+x',
    });
    assert.equal(options, undefined);
    assert.deepEqual(
      problems.map((p) => [p.source, p.code, p.value]),
      [
        ['--owner', 'E_TEXT_SPACES', ' padded'],
        ['--contact', 'E_CONTACT_INVALID', 'nope'],
        ['--url', 'E_URL_INVALID', 'ftp://example.com/'],
        ['--note', 'E_TEXT_UNSAFE', 'a\nb'],
        ['--version', 'E_VERSION_INVALID', '1.0+x'],
      ],
    );
  });

  it('name the source given for each option, such as a config file line', () => {
    const { problems } = validatePlaceholderInput({ owner: '' }, { owner: 'pypi-reserve.toml:3' });
    assert.deepEqual(problems.map((p) => [p.source, p.code]), [['pypi-reserve.toml:3', 'E_TEXT_EMPTY']]);
  });

  it('limit lengths', () => {
    assert.equal(validatePlaceholderInput({ owner: 'x'.repeat(200) }).problems.length, 0);
    assert.deepEqual(validatePlaceholderInput({ owner: 'x'.repeat(201) }).problems.map((p) => p.code), ['E_TEXT_TOO_LONG']);
    assert.deepEqual(validatePlaceholderInput({ owner: 'o', note: 'n'.repeat(1001) }).problems.map((p) => p.code), ['E_TEXT_TOO_LONG']);
  });

  it('accept e-mail addresses with the unusual characters RFC 5322 allows, and refuse malformed ones', () => {
    for (const ok of ['a@example.com', "o'brien+{x}%s$@example.co.uk", 'a.b-c@sub.example.org']) {
      assert.deepEqual(validatePlaceholderInput({ owner: 'o', contact: ok }).problems, [], ok);
    }
    for (const bad of ['a@b', '@example.com', 'a@@example.com', 'a b@example.com', '"q"@example.com', 'é@example.com']) {
      assert.deepEqual(validatePlaceholderInput({ owner: 'o', contact: bad }).problems.map((p) => p.code), ['E_CONTACT_INVALID'], bad);
    }
  });

  it('accept only http(s) URLs with a host and no credentials', () => {
    for (const ok of ['https://example.com', 'http://example.com/a?b=c#d', 'https://例え.jp/パス', 'https://example.com/"{}%s']) {
      assert.deepEqual(validatePlaceholderInput({ owner: 'o', url: ok }).problems, [], ok);
    }
    for (const bad of ['example.com', 'ftp://example.com', 'javascript:alert(1)', 'https://u:p@example.com', 'https://exa mple.com', 'file:///etc/passwd']) {
      assert.deepEqual(validatePlaceholderInput({ owner: 'o', url: bad }).problems.map((p) => p.code), ['E_URL_INVALID'], bad);
    }
  });
});

describe('the refusal message and derived metadata', () => {
  it('names the project and the owner, and says where to install from', () => {
    assert.equal(
      refusalMessage('Foo.Bar', MINIMAL),
      "'Foo.Bar' is a placeholder reserved by Example Corp to protect against dependency confusion; " +
        'it contains no code and cannot be installed. ' +
        "If you meant Example Corp's internal package, your installer is using the public index: " +
        "install from Example Corp's private index instead.",
    );
  });

  it('adds the contact, URL and note when given', () => {
    assert.ok(refusalMessage('x', FULL).endsWith(' Contact: security@example.com, https://example.com/security. Note: Ask #platform.'));
    assert.ok(refusalMessage('x', { ...MINIMAL, url: 'https://e.com' }).endsWith(' Contact: https://e.com.'));
  });

  it('derives file name, top directory and summary from the spelling given and the normalized version', () => {
    const meta = placeholderMetadata(projectName('Foo.Bar_baz'), { ...MINIMAL, version: '1.0a0' });
    assert.equal(meta.name, 'Foo.Bar_baz');
    assert.equal(meta.normalized, 'foo-bar-baz');
    assert.equal(meta.stem, 'foo_bar_baz');
    assert.equal(meta.baseName, 'foo_bar_baz-1.0a0');
    assert.equal(meta.filename, 'foo_bar_baz-1.0a0.tar.gz');
    assert.equal(meta.summary, summaryFor('Example Corp'));
    assert.ok(meta.summary.length <= 512);
    assert.equal(meta.message, refusalMessage('Foo.Bar_baz', { ...MINIMAL, version: '1.0a0' }));
  });
});

describe('escapers', () => {
  it('pythonString writes an ASCII-only double-quoted literal', () => {
    assert.equal(pythonString('plain'), '"plain"');
    assert.equal(pythonString('a"b\\c'), '"a\\"b\\\\c"');
    assert.equal(pythonString("'''\"\"\""), '"\'\'\'\\"\\"\\""');
    assert.equal(pythonString('é€🎉'), '"\\xe9\\u20ac\\U0001f389"');
    assert.equal(pythonString('\n\u0000'), '"\\x0a\\x00"');
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => assert.match(pythonString(s), /^"[\x20-\x7e]*"$/)));
  });

  it('tomlString writes an ASCII-only TOML basic string', () => {
    assert.equal(tomlString('a"b\\c'), '"a\\"b\\\\c"');
    assert.equal(tomlString('é🎉'), '"\\u00e9\\U0001f389"');
    assert.equal(tomlString('\u0001'), '"\\u0001"');
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => assert.match(tomlString(s), /^"[\x20-\x7e]*"$/)));
  });

  it('headerValue passes single-line text and refuses anything that could start a new header', () => {
    assert.equal(headerValue('Zoë "Q" <a@b> : {} %s 🎉'), 'Zoë "Q" <a@b> : {} %s 🎉');
    for (const ch of ['\n', '\r', '\u0000', '\u001f', '\u007f', '\u0085', '\u2028', '\u2029']) {
      assert.throws(() => headerValue(`a${ch}Name: evil`), /internal: a header value with a line break/, JSON.stringify(ch));
    }
  });

  it('markdownText escapes every ASCII punctuation character, and un-escaping gives the text back', () => {
    assert.equal(markdownText('*a* [b](c) #d <e> `f` _g_'), '\\*a\\* \\[b\\]\\(c\\) \\#d \\<e\\> \\`f\\` \\_g\\_');
    assert.equal(markdownText('plain é 🎉'), 'plain é 🎉');
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        const escaped = markdownText(s);
        assert.doesNotMatch(escaped.replace(/\\[!-/:-@[-`{-~]/g, ''), /[!-/:-@[-`{-~]/);
        assert.equal(escaped.replace(/\\([!-/:-@[-`{-~])/g, '$1'), s);
      }),
    );
  });
});

describe('templates', () => {
  it('choose the escaper by file name', () => {
    assert.equal(escaperFor('x.py'), pythonString);
    assert.equal(escaperFor('pyproject.toml'), tomlString);
    assert.equal(escaperFor('README.md'), markdownText);
    assert.equal(escaperFor('PKG-INFO'), headerValue);
    assert.throws(() => escaperFor('notes.txt'), /no escaper/);
  });

  it('escape {{key}}, insert {{{key}}} verbatim, and drop a line whose value is absent', () => {
    const text = 'a = {{x}}\nb = {{{x}}}\nc = {{missing}}\nd\n';
    assert.equal(renderTemplate({ path: 't.toml', text }, { x: 'q"q', missing: undefined }), 'a = "q\\"q"\nb = q"q\nd\n');
  });

  it('refuse a key the values do not define', () => {
    assert.throws(() => renderTemplate({ path: 't.py', text: '{{nope}}' }, {}), /unknown key 'nope'/);
  });

  it('do not expand placeholders that appear inside inserted values', () => {
    assert.equal(renderTemplate({ path: 't.py', text: 'X = {{a}}' }, { a: '{{b}}', b: 'no' }), 'X = "{{b}}"');
  });

  it('render the five files of a placeholder; PKG-INFO carries the README as its body', () => {
    const files = renderFiles(placeholderMetadata(projectName('Foo.Bar'), FULL));
    assert.deepEqual([...files.keys()], ['README.md', 'PKG-INFO', 'pyproject.toml', 'pypi_reserve_placeholder.py', 'setup.py']);
    const pkgInfo = files.get('PKG-INFO')!;
    const [headers, body] = [pkgInfo.slice(0, pkgInfo.indexOf('\n\n')), pkgInfo.slice(pkgInfo.indexOf('\n\n') + 2)];
    assert.equal(
      headers,
      [
        'Metadata-Version: 2.2',
        'Name: Foo.Bar',
        'Version: 0.0.0',
        `Summary: ${summaryFor('Example Corp')}`,
        'Home-page: https://example.com/security',
        'Author: Example Corp',
        'Author-email: security@example.com',
        'Keywords: pypi-reserve-placeholder',
        'Classifier: Development Status :: 7 - Inactive',
        'Description-Content-Type: text/markdown',
      ].join('\n'),
    );
    assert.equal(body.trimEnd(), files.get('README.md')!.trimEnd());
  });

  it('leave out optional fields entirely when they are not given', () => {
    const files = renderFiles(placeholderMetadata(projectName('x'), MINIMAL));
    assert.doesNotMatch(files.get('PKG-INFO')!, /^(Home-page|Author-email):/m);
    assert.doesNotMatch(files.get('pyproject.toml')!, /^(contact|url|note) =/m);
    assert.doesNotMatch(files.get('README.md')!, /Contact:|More information:|Note from/);
  });

  it('keep the generated Python and TOML pure ASCII whatever the user text', () => {
    const files = renderFiles(placeholderMetadata(projectName('x'), { ...FULL, owner: 'Zoë 🎉', note: '日本語' }));
    for (const path of ['pyproject.toml', 'pypi_reserve_placeholder.py', 'setup.py']) assert.match(files.get(path)!, /^[\x00-\x7f]*$/, path);
  });

  it('ship with the package', () => {
    assert.deepEqual(loadTemplates().map((t) => t.path), ['README.md', 'PKG-INFO', 'pyproject.toml', 'pypi_reserve_placeholder.py', 'setup.py']);
  });
});

describe('the in-memory sdist', () => {
  const meta = placeholderMetadata(projectName('Foo.Bar'), FULL);

  it('is the same bytes every time, and other bytes for another time stamp', async () => {
    const a = await buildSdist(meta);
    const b = await buildSdist(meta, { mtime: DEFAULT_MTIME });
    const c = await buildSdist(meta, { mtime: DEFAULT_MTIME + 1 });
    assert.deepEqual(a.bytes, b.bytes);
    assert.notDeepEqual(a.bytes, c.bytes);
  });

  it('carries its own digests and size', async () => {
    const s = await buildSdist(meta);
    assert.equal(s.filename, 'foo_bar-0.0.0.tar.gz');
    assert.equal(s.sha256, createHash('sha256').update(s.bytes).digest('hex'));
    assert.equal(s.md5, createHash('md5').update(s.bytes).digest('hex'));
    assert.equal(s.size, s.bytes.length);
    assert.equal(s.description, renderFiles(meta).get('README.md'));
  });
});

describe('the upload form', () => {
  it('says what PKG-INFO says, in twine’s field names, with hex digests and the file last', async () => {
    const meta = placeholderMetadata(projectName('Foo.Bar'), FULL);
    const sdist = await buildSdist(meta);
    const form = buildUploadForm(meta, sdist);
    assert.deepEqual(form.fields, [
      { name: ':action', value: 'file_upload' },
      { name: 'protocol_version', value: '1' },
      { name: 'metadata_version', value: '2.2' },
      { name: 'name', value: 'Foo.Bar' },
      { name: 'version', value: '0.0.0' },
      { name: 'filetype', value: 'sdist' },
      { name: 'pyversion', value: 'source' },
      { name: 'summary', value: summaryFor('Example Corp') },
      { name: 'home_page', value: 'https://example.com/security' },
      { name: 'author', value: 'Example Corp' },
      { name: 'author_email', value: 'security@example.com' },
      { name: 'keywords', value: 'pypi-reserve-placeholder' },
      { name: 'classifiers', value: 'Development Status :: 7 - Inactive' },
      { name: 'description', value: sdist.description },
      { name: 'description_content_type', value: 'text/markdown' },
      { name: 'md5_digest', value: sdist.md5 },
      { name: 'sha256_digest', value: sdist.sha256 },
    ]);
    assert.deepEqual(form.file, { name: 'content', filename: 'foo_bar-0.0.0.tar.gz', contentType: 'application/octet-stream', bytes: sdist.bytes });
  });

  it('agrees with every PKG-INFO header, field by field (the form is what PyPI records)', async () => {
    const meta = placeholderMetadata(projectName('x'), { ...FULL, owner: 'Zoë "Q" {x} %s' });
    const sdist = await buildSdist(meta);
    const form = new Map<string, string[]>();
    for (const f of buildUploadForm(meta, sdist).fields) form.set(f.name, [...(form.get(f.name) ?? []), f.value]);
    const pkgInfo = renderFiles(meta).get('PKG-INFO')!;
    for (const line of pkgInfo.slice(0, pkgInfo.indexOf('\n\n')).split('\n')) {
      const [key, value] = [line.slice(0, line.indexOf(': ')), line.slice(line.indexOf(': ') + 2)];
      const field = key === 'Classifier' ? 'classifiers' : key.toLowerCase().replace(/-/g, '_');
      assert.deepEqual(form.get(field), [value], key);
    }
  });

  it('leaves out fields that were not given, rather than sending them empty', async () => {
    const meta = placeholderMetadata(projectName('x'), MINIMAL);
    const names = buildUploadForm(meta, await buildSdist(meta)).fields.map((f) => f.name);
    assert.ok(!names.includes('home_page') && !names.includes('author_email'));
  });
});

describe('SOURCE_DATE_EPOCH', () => {
  it('defaults to 1980-01-01 when unset or empty', () => {
    assert.deepEqual(sourceDateEpoch({}), { mtime: DEFAULT_MTIME });
    assert.deepEqual(sourceDateEpoch({ SOURCE_DATE_EPOCH: '' }), { mtime: DEFAULT_MTIME });
  });

  it('is used as given when it is a whole number of seconds a tar header can hold', () => {
    assert.deepEqual(sourceDateEpoch({ SOURCE_DATE_EPOCH: '0' }), { mtime: 0 });
    assert.deepEqual(sourceDateEpoch({ SOURCE_DATE_EPOCH: '1700000000' }), { mtime: 1700000000 });
    assert.deepEqual(sourceDateEpoch({ SOURCE_DATE_EPOCH: String(8 ** 11 - 1) }), { mtime: 8 ** 11 - 1 });
  });

  it('is a problem otherwise', () => {
    for (const bad of ['-1', '1.5', 'abc', '17e8', String(8 ** 11), ' 1']) {
      assert.equal(sourceDateEpoch({ SOURCE_DATE_EPOCH: bad }).problem?.code, 'E_SOURCE_DATE_EPOCH', bad);
    }
  });
});
