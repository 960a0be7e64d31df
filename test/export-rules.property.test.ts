/**
 * Properties of the generated blocking rules: every spelling of a private name in
 * every request-path form is blocked, and near misses (other projects sharing a
 * prefix, an extra character, a dropped separator, unrelated projects) are not.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { combinedRequestPathRegex, requestPathRegex } from '../src/rules/regex.js';
import { artifactoryExcludes } from '../src/rules/artifactory.js';
import { nexusRoutingRule } from '../src/rules/nexus.js';

// ---------------------------------------------------------------- arbitraries

const labelArb = fc.stringMatching(/^[a-z0-9]{1,6}$/);
/** A PEP 503 normalized project name: 1–4 labels joined by `-`. */
const normalizedArb = fc.array(labelArb, { minLength: 1, maxLength: 4 }).map((ls) => ls.join('-'));

/** A random spelling of a normalized name: random letter case, each `-` a random run of the given separators. */
function spellingArb(normalized: string, separators: '-_.' | '_.' = '-_.'): fc.Arbitrary<string> {
  const labels = normalized.split('-');
  const runArb = separators === '-_.' ? fc.stringMatching(/^[-_.]{1,3}$/) : fc.stringMatching(/^[_.]{1,3}$/);
  return fc
    .tuple(
      fc.array(fc.boolean(), { minLength: normalized.length, maxLength: normalized.length }),
      fc.array(runArb, { minLength: labels.length - 1, maxLength: labels.length - 1 }),
    )
    .map(([upper, runs]) => {
      const cased = [...normalized].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join('');
      return cased
        .split('-')
        .map((label, i) => (i === 0 ? label : `${runs[i - 1]}${label}`))
        .join('');
    });
}

/** PEP 440-ish versions as they appear in file names, some with a leading `v`. */
const versionArb = fc
  .tuple(
    fc.boolean(),
    fc.array(fc.nat({ max: 40 }), { minLength: 1, maxLength: 4 }),
    fc.option(fc.tuple(fc.constantFrom('a', 'b', 'rc'), fc.nat({ max: 9 }))),
    fc.option(fc.nat({ max: 9 })),
    fc.option(fc.nat({ max: 9 })),
    fc.option(fc.stringMatching(/^[a-z0-9]{1,5}$/)),
  )
  .map(([v, release, pre, post, dev, local]) => {
    let s = `${v ? 'v' : ''}${release.join('.')}`;
    if (pre) s += `${pre[0]}${pre[1]}`;
    if (post !== null) s += `.post${post}`;
    if (dev !== null) s += `.dev${dev}`;
    if (local !== null) s += `+${local}`;
    return s;
  });

/** The `/packages/ab/cd/<hash>/` prefix of files.pythonhosted.org, kept by Nexus and Artifactory. */
const packagesPrefixArb = fc
  .stringMatching(/^[0-9a-f]{64}$/)
  .map((h) => `/packages/${h.slice(0, 2)}/${h.slice(2, 4)}/${h.slice(4)}/`);

// A decoded query may hold line breaks (`?x=%0A`): they must not let a path through.
const querySuffixArb = fc.constantFrom('', '?format=json', '?a=b&c=d', '?x=\n', '?a=1\r\nb=2', '#\u2028');

const SDIST_EXTENSIONS = ['.tar.gz', '.zip', '.tar.bz2', '.tar.xz', '.tgz', '.win32.exe'];
const WHEEL_TAGS = ['py3-none-any', 'cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64', '1-py2.py3-none-any'];

interface PathParts {
  /** Spelling used on pages, the JSON API and sdists. */
  spelling: string;
  /** Spelling used in wheel names (no `-`). */
  wheelSpelling: string;
  version: string;
  packagesPrefix: string;
  query: string;
}

/** Every request-path form a client or proxy may use for one project. */
function requestPaths(p: PathParts): string[] {
  const forms = [
    `/simple/${p.spelling}/`,
    `/simple/${p.spelling}`,
    `/simple/${p.spelling}/index.html`,
    `/root/pypi/+simple/${p.spelling}/`,
    `/pypi/${p.spelling}/json`,
    `/pypi/${p.spelling}/${p.version}/json`,
    ...SDIST_EXTENSIONS.map((ext) => `${p.packagesPrefix}${p.spelling}-${p.version}${ext}`),
    ...WHEEL_TAGS.map((tags) => `${p.packagesPrefix}${p.wheelSpelling}-${p.version}-${tags}.whl`),
    `${p.packagesPrefix}${p.wheelSpelling}-${p.version}-py3-none-any.whl.metadata`,
    `${p.packagesPrefix}${p.wheelSpelling}-${p.version}-py2.7.egg`,
    `/packages/${p.wheelSpelling}/${p.version}/${p.wheelSpelling}-${p.version}.tar.gz`,
  ];
  return forms.map((f) => f + p.query);
}

function pathPartsArb(normalized: string): fc.Arbitrary<PathParts> {
  return fc.record({
    spelling: spellingArb(normalized),
    wheelSpelling: spellingArb(normalized, '_.'),
    version: versionArb,
    packagesPrefix: packagesPrefixArb,
    query: querySuffixArb,
  });
}

/** The paths of a project named `normalized`, generated with random spellings. */
function pathsOf(normalized: string): fc.Arbitrary<string[]> {
  return pathPartsArb(normalized).map(requestPaths);
}

function compile(source: string): RegExp {
  // No flag: case-insensitivity is spelled out in the pattern, so it must work without one.
  return new RegExp(source);
}

function unmatched(re: RegExp, paths: string[]): string[] {
  return paths.filter((p) => !re.test(p));
}

function matched(re: RegExp, paths: string[]): string[] {
  return paths.filter((p) => re.test(p));
}

// ------------------------------------------------------------------- regexes

describe('requestPathRegex', () => {
  it('matches every spelling of the name in every request-path form', () => {
    fc.assert(
      fc.property(
        normalizedArb.chain((n) => fc.tuple(fc.constant(n), pathsOf(n))),
        ([n, paths]) => {
          assert.deepEqual(unmatched(compile(requestPathRegex(n)), paths), [], `name ${n}`);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('does not match the name with a letter or digit appended or prepended', () => {
    const arb = fc
      .tuple(normalizedArb, fc.stringMatching(/^[a-z0-9]$/), fc.boolean())
      .chain(([n, extra, before]) => {
        const other = before ? `${extra}${n}` : `${n}${extra}`;
        return fc.tuple(fc.constant(n), pathsOf(other));
      });
    fc.assert(
      fc.property(arb, ([n, paths]) => {
        assert.deepEqual(matched(compile(requestPathRegex(n)), paths), [], `name ${n}`);
      }),
      { numRuns: 300 },
    );
  });

  it('does not match another project that adds a label starting with a letter (acme-foo vs acme-foo-bar)', () => {
    // A label starting with `v` and a digit looks like a version in legacy dash-spelled files (see below).
    const extraArb = fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/).filter((e) => !/^v[0-9]/.test(e));
    const arb = fc
      .tuple(normalizedArb, extraArb, fc.boolean())
      .chain(([n, extra, before]) => fc.tuple(fc.constant(n), pathsOf(before ? `${extra}-${n}` : `${n}-${extra}`)));
    fc.assert(
      fc.property(arb, ([n, paths]) => {
        assert.deepEqual(matched(compile(requestPathRegex(n)), paths), [], `name ${n}`);
      }),
      { numRuns: 300 },
    );
  });

  it('does not match another project that adds a digit label, in every form PyPI serves today', () => {
    // Pages, JSON and wheels/PEP 625 sdists (name spelled with `_`): the boundary is exact.
    const arb = fc.tuple(normalizedArb, fc.stringMatching(/^v?[0-9][a-z0-9]{0,4}$/)).chain(([n, extra]) =>
      fc.tuple(
        fc.constant(n),
        fc
          .record({
            spelling: spellingArb(`${n}-${extra}`),
            wheelSpelling: spellingArb(`${n}-${extra}`, '_.'),
            version: versionArb,
            packagesPrefix: packagesPrefixArb,
            query: querySuffixArb,
          })
          .map((p) => [
            `/simple/${p.spelling}/${p.query}`,
            `/simple/${p.spelling}${p.query}`,
            `/pypi/${p.spelling}/json${p.query}`,
            `/pypi/${p.spelling}/${p.version}/json${p.query}`,
            `${p.packagesPrefix}${p.wheelSpelling}-${p.version}.tar.gz${p.query}`,
            `${p.packagesPrefix}${p.wheelSpelling}-${p.version}-py3-none-any.whl${p.query}`,
          ]),
      ),
    );
    fc.assert(
      fc.property(arb, ([n, paths]) => {
        assert.deepEqual(matched(compile(requestPathRegex(n)), paths), [], `name ${n}`);
      }),
      { numRuns: 300 },
    );
  });

  it('blocks the documented residual case: a legacy dash-spelled file of <name>-<digit…>', () => {
    // `acme-foo-2-1.0.tar.gz` could be project acme-foo-2 version 1.0, or acme-foo version 2-1.0
    // (a legacy post-release spelling); the file name alone cannot tell, so the rule blocks it.
    const re = compile(requestPathRegex('acme-foo'));
    assert.ok(re.test('/packages/ab/cd/ef/acme-foo-2-1.0.tar.gz'));
    assert.ok(re.test('/packages/ab/cd/ef/acme-foo-v2-1.0.tar.gz'));
    assert.ok(!re.test('/packages/ab/cd/ef/acme_foo_2-1.0.tar.gz'));
    assert.ok(!re.test('/simple/acme-foo-2/'));
    assert.ok(!re.test('/simple/acme-foo-2'));
  });

  it('does not match the name with a separator dropped (acmefoo is another project for pip)', () => {
    const arb = fc
      .array(labelArb, { minLength: 2, maxLength: 4 })
      .chain((labels) => fc.tuple(fc.constant(labels), fc.nat({ max: labels.length - 2 })))
      .chain(([labels, i]) => {
        const n = labels.join('-');
        const dropped = [...labels.slice(0, i), `${labels[i]}${labels[i + 1]}`, ...labels.slice(i + 2)].join('-');
        return fc.tuple(fc.constant(n), pathsOf(dropped));
      });
    fc.assert(
      fc.property(arb, ([n, paths]) => {
        assert.deepEqual(matched(compile(requestPathRegex(n)), paths), [], `name ${n}`);
      }),
      { numRuns: 300 },
    );
  });

  it('does not match the paths of unrelated projects', () => {
    const arb = fc
      .tuple(normalizedArb, normalizedArb)
      .filter(([n, m]) => n !== m && !(m.startsWith(`${n}-`) && /^v?[0-9]/.test(m.slice(n.length + 1))))
      .chain(([n, m]) => fc.tuple(fc.constant(n), pathsOf(m)));
    fc.assert(
      fc.property(arb, ([n, paths]) => {
        assert.deepEqual(matched(compile(requestPathRegex(n)), paths), [], `name ${n}`);
      }),
      { numRuns: 500 },
    );
  });

  it('does not match the index root, the upload endpoint or paths that only contain the name in a directory', () => {
    const re = compile(requestPathRegex('acme-foo'));
    for (const p of ['/simple/', '/', '/pypi', '/simple/acme-foo/extra', '/acme-foo/simple/other/', '/packages/acme_foo/']) {
      assert.ok(!re.test(p), p);
    }
  });
});

describe('combinedRequestPathRegex', () => {
  it('matches a path exactly when one of the per-name regexes does', () => {
    const arb = fc
      .uniqueArray(normalizedArb, { minLength: 1, maxLength: 5 })
      .chain((names) => fc.tuple(fc.constant(names), fc.constantFrom(...names, 'other-project').chain(pathsOf)));
    fc.assert(
      fc.property(arb, ([names, paths]) => {
        const combined = compile(combinedRequestPathRegex(names));
        const singles = names.map((n) => compile(requestPathRegex(n)));
        for (const p of paths) assert.equal(combined.test(p), singles.some((re) => re.test(p)), p);
      }),
      { numRuns: 200 },
    );
  });
});

// ------------------------------------------------------------ regex dialect

/**
 * Accepts only the syntax shared by Java, PCRE, RE2 and JavaScript: literals,
 * `\.` `\+`-style escapes of metacharacters, `(?:…)` groups, `|`, greedy `* + ?`,
 * `^` first, `$` last, bracket classes of plain characters and ranges (no
 * nested `[`, no `&&`, no other backslash inside: Java reads those differently),
 * and `[\s\S]` ("any character, line breaks too", read alike by all four).
 */
function assertPortableSyntax(src: string): void {
  let depth = 0;
  let afterAtom = false;
  for (let i = 0; i < src.length; ) {
    const c = src[i] as string;
    const where = `at ${i} in ${src}`;
    if (c === '\\') {
      assert.match(src[i + 1] ?? '', /^[.+?*()[\]{}|^$\\/]$/, `only metacharacters may be escaped ${where}`);
      i += 2;
      afterAtom = true;
    } else if (c === '(') {
      assert.ok(src.startsWith('(?:', i), `only non-capturing groups ${where}`);
      depth++;
      i += 3;
      afterAtom = false;
    } else if (c === ')') {
      assert.ok(depth > 0, `unbalanced ) ${where}`);
      depth--;
      i++;
      afterAtom = true;
    } else if (src.startsWith('[\\s\\S]', i)) {
      i += '[\\s\\S]'.length;
      afterAtom = true;
    } else if (c === '[') {
      const end = src.indexOf(']', i + 1);
      assert.ok(end > i + 1, `unterminated class ${where}`);
      const body = src.slice(i + 1, end).replace(/^\^/, '');
      assert.ok(body.length > 0, `empty class ${where}`);
      assert.match(body, /^[A-Za-z0-9_.\-/?#]+$/, `plain class members only ${where}`);
      assert.ok(!body.includes('&&'), `no class intersection ${where}`);
      for (let k = 1; k < body.length - 1; k++) {
        if (body[k] === '-') assert.match(`${body[k - 1]}${body[k + 1]}`, /^[A-Za-z0-9]{2}$/, `ranges between letters or digits only ${where}`);
      }
      i = end + 1;
      afterAtom = true;
    } else if (c === '*' || c === '+' || c === '?') {
      assert.ok(afterAtom, `quantifier without an atom ${where}`);
      assert.ok(!/[*+?]/.test(src[i + 1] ?? ''), `no lazy or possessive quantifiers ${where}`);
      i++;
      afterAtom = false;
    } else if (c === '^') {
      assert.equal(i, 0, `^ only at the start ${where}`);
      i++;
    } else if (c === '$') {
      assert.equal(i, src.length - 1, `$ only at the end ${where}`);
      i++;
    } else if (c === '|') {
      i++;
      afterAtom = false;
    } else {
      assert.match(c, /^[A-Za-z0-9/_\-.!%,:;=&~@]$/, `plain literal only ${where}`);
      i++;
      afterAtom = true;
    }
  }
  assert.equal(depth, 0, `unbalanced ( in ${src}`);
}

describe('regex dialect', () => {
  it('uses only syntax that Java, PCRE, RE2 and JavaScript read the same way', () => {
    fc.assert(
      fc.property(fc.uniqueArray(normalizedArb, { minLength: 1, maxLength: 4 }), (names) => {
        for (const src of [...names.map(requestPathRegex), combinedRequestPathRegex(names)]) {
          assertPortableSyntax(src);
          // The `u` flag rejects the lax legacy syntax JavaScript otherwise tolerates.
          assert.doesNotThrow(() => new RegExp(src, 'u'));
        }
      }),
    );
  });

  it('rejects constructs that are not portable (the checker itself can fail)', () => {
    for (const bad of ['(?i)abc', '(abc)', 'a{2}', '\\d', '[a[b]]', '[a&&b]', 'a*+', '(?<n>a)', 'a(?=b)', 'a^']) {
      assert.throws(() => assertPortableSyntax(bad), bad);
    }
  });

  const hasJava = spawnSync('java', ['-version']).status === 0;
  it('means the same under Java String.matches (as Nexus applies it) as under JavaScript', { skip: !hasJava && 'java not installed' }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'pypi-reserve-java-'));
    try {
      const cases = fc.sample(
        fc
          .tuple(normalizedArb, normalizedArb, fc.boolean())
          .chain(([n, m, same]) => fc.tuple(fc.constant(requestPathRegex(n)), pathsOf(same ? n : `${n}-${m}`))),
        { numRuns: 60, seed: 42 },
      );
      const lines: string[] = [];
      const expected: string[] = [];
      for (const [src, paths] of cases) {
        lines.push(`R\t${src}`);
        for (const p of paths) {
          // Base64: a path may hold a line break (in its query), which must reach Java intact.
          lines.push(`P\t${Buffer.from(p).toString('base64')}`);
          expected.push(new RegExp(src).test(p) ? '1' : '0');
        }
      }
      assert.ok(expected.includes('1') && expected.includes('0'), 'the sample has both blocked and allowed paths');
      const javaFile = join(dir, 'MatchPaths.java');
      writeFileSync(
        javaFile,
        [
          'import java.io.*;',
          'public class MatchPaths {',
          '  public static void main(String[] args) throws Exception {',
          '    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, "UTF-8"));',
          '    StringBuilder out = new StringBuilder(); String regex = null; String line;',
          '    while ((line = in.readLine()) != null) {',
          '      if (line.startsWith("R\\t")) { regex = line.substring(2); java.util.regex.Pattern.compile(regex); }',
          '      else out.append(new String(java.util.Base64.getDecoder().decode(line.substring(2)), "UTF-8").matches(regex) ? "1" : "0").append("\\n");',
          '    }',
          '    System.out.print(out);',
          '  }',
          '}',
        ].join('\n'),
      );
      const run = spawnSync('java', [javaFile], { input: `${lines.join('\n')}\n`, encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual(run.stdout.trim().split('\n'), expected);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('nexusRoutingRule', () => {
  it('is a BLOCK rule with one anchored matcher per name, or one for all with combined', () => {
    const rule = nexusRoutingRule(['acme-foo', 'acme-bar']);
    assert.equal(rule.mode, 'BLOCK');
    assert.deepEqual(rule.matchers, [requestPathRegex('acme-foo'), requestPathRegex('acme-bar')]);
    assert.deepEqual(nexusRoutingRule(['acme-foo', 'acme-bar'], { combined: true }).matchers, [
      combinedRequestPathRegex(['acme-foo', 'acme-bar']),
    ]);
  });
});

// -------------------------------------------------------------- artifactory

/** Ant-style matching as Artifactory applies it: `**` any segments, `*` and `?` within one segment. */
function antMatch(pattern: string, path: string): boolean {
  const pat = pattern.split('/');
  const segs = path.split('/');
  const segment = (p: string, s: string) =>
    new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`).test(s);
  const from = (i: number, j: number): boolean => {
    if (i === pat.length) return j === segs.length;
    if (pat[i] === '**') {
      for (let k = j; k <= segs.length; k++) if (from(i + 1, k)) return true;
      return false;
    }
    return j < segs.length && segment(pat[i] as string, segs[j] as string) && from(i + 1, j + 1);
  };
  return from(0, 0);
}

function excluded(patterns: string[], path: string): boolean {
  return patterns.some((p) => antMatch(p, path));
}

describe('ant matcher used for the artifactory tests', () => {
  it('follows Ant semantics', () => {
    assert.ok(antMatch('**/packages/**/a-1*', 'packages/ab/cd/ef/a-1.0.tar.gz'));
    assert.ok(antMatch('.pypi/a.html', '.pypi/a.html'));
    assert.ok(antMatch('.pypi/a/**', '.pypi/a/x/y'));
    assert.ok(!antMatch('.pypi/a.html', '.pypi/ab.html'));
    assert.ok(!antMatch('**/packages/**/a-1*', '.pypi/a-1.html'));
    assert.ok(!antMatch('*.html', 'x/a.html'));
  });
});

/** Lowercase spellings with one kind of separator: what Artifactory's lowercase cache and sane clients produce. */
function realisticPaths(normalized: string, version: string, prefix: string): string[] {
  const spellings = ['-', '_', '.'].map((sep) => normalized.split('-').join(sep));
  const wheel = normalized.replace(/-/g, '_');
  return [
    ...spellings.map((s) => `.pypi/${s}.html`),
    ...spellings.map((s) => `${prefix.slice(1)}${s}-${version}.tar.gz`),
    `${prefix.slice(1)}${wheel}-${version}-py3-none-any.whl`,
  ];
}

const plainVersionArb = fc.array(fc.nat({ max: 40 }), { minLength: 1, maxLength: 4 }).map((r) => r.join('.'));

describe('artifactoryExcludes', () => {
  it('excludes the cached page and the files of every realistic lowercase spelling', () => {
    fc.assert(
      fc.property(normalizedArb, plainVersionArb, packagesPrefixArb, (n, version, prefix) => {
        const patterns = artifactoryExcludes(n);
        const missed = realisticPaths(n, version, prefix).filter((p) => !excluded(patterns, p));
        assert.deepEqual(missed, [], `name ${n}`);
      }),
      { numRuns: 300 },
    );
  });

  it('does not exclude other projects: extra character, extra label, dropped separator, unrelated', () => {
    const otherArb = fc
      .tuple(normalizedArb, normalizedArb, labelArb, fc.stringMatching(/^[a-z0-9]$/), fc.nat({ max: 5 }))
      .map(([n, m, label, ch, kind]) => {
        const labels = n.split('-');
        const others = [
          `${n}${ch}`,
          `${ch}${n}`,
          `${n}-${label}`,
          `${label}-${n}`,
          labels.length > 1 ? labels.join('') : `${n}${ch}`,
          m,
        ];
        return [n, others[kind] as string] as const;
      })
      .filter(([n, other]) => other !== n);
    fc.assert(
      fc.property(otherArb, plainVersionArb, packagesPrefixArb, ([n, other], version, prefix) => {
        const patterns = artifactoryExcludes(n);
        // The page of any other project is never excluded; nor are its files, except the legacy
        // dash-spelled `<name>-<digit…>` file names that are ambiguous by themselves.
        const legacyAmbiguous = other.startsWith(`${n}-`) && /^[0-9]/.test(other.slice(n.length + 1));
        const paths = realisticPaths(other, version, prefix).filter(
          (p) => !(legacyAmbiguous && p.startsWith('packages/') && p.includes(`/${n}-`)),
        );
        assert.deepEqual(
          paths.filter((p) => excluded(patterns, p)),
          [],
          `name ${n}, other ${other}`,
        );
      }),
      { numRuns: 500 },
    );
  });

  it('leaves the page of acme-foo-2 alone although acme-foo-2* looks like a file of acme-foo', () => {
    const patterns = artifactoryExcludes('acme-foo');
    assert.ok(!excluded(patterns, '.pypi/acme-foo-2.html'));
    assert.ok(excluded(patterns, 'packages/ab/cd/ef/acme-foo-2.0.tar.gz'));
  });
});
