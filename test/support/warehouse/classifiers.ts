/**
 * A working subset of trove-classifiers (Warehouse refuses anything else,
 * fact sheet §4 step 4). The real list has ~800 entries; this holds the common
 * ones and the ones placeholder packages use. Tests can add more through
 * `WarehouseOptions.extraClassifiers`. `Private :: …` is never valid, which is
 * why such a classifier blocks uploads.
 */

const PYTHON_VERSIONS = ['2', '2.7', '3', '3 :: Only', ...Array.from({ length: 15 }, (_, i) => `3.${i}`)];

export const KNOWN_CLASSIFIERS: ReadonlySet<string> = new Set([
  'Development Status :: 1 - Planning',
  'Development Status :: 2 - Pre-Alpha',
  'Development Status :: 3 - Alpha',
  'Development Status :: 4 - Beta',
  'Development Status :: 5 - Production/Stable',
  'Development Status :: 6 - Mature',
  'Development Status :: 7 - Inactive',
  'Environment :: Console',
  'Environment :: Web Environment',
  'Framework :: Django',
  'Framework :: Flask',
  'Framework :: Pytest',
  'Intended Audience :: Developers',
  'Intended Audience :: Information Technology',
  'Intended Audience :: System Administrators',
  'Intended Audience :: Science/Research',
  'License :: OSI Approved :: MIT License',
  'License :: OSI Approved :: Apache Software License',
  'License :: OSI Approved :: BSD License',
  'License :: OSI Approved :: GNU General Public License v3 (GPLv3)',
  'License :: OSI Approved :: Mozilla Public License 2.0 (MPL 2.0)',
  'License :: OSI Approved :: ISC License (ISCL)',
  'License :: Other/Proprietary License',
  'License :: Public Domain',
  'Natural Language :: English',
  'Natural Language :: Ukrainian',
  'Natural Language :: Ukranian',
  'Operating System :: OS Independent',
  'Operating System :: POSIX :: Linux',
  'Operating System :: MacOS',
  'Operating System :: Microsoft :: Windows',
  'Programming Language :: Python',
  ...PYTHON_VERSIONS.map((v) => `Programming Language :: Python :: ${v}`),
  'Programming Language :: Python :: Implementation :: CPython',
  'Programming Language :: Python :: Implementation :: PyPy',
  'Topic :: Security',
  'Topic :: Software Development',
  'Topic :: Software Development :: Build Tools',
  'Topic :: Software Development :: Libraries',
  'Topic :: Software Development :: Libraries :: Python Modules',
  'Topic :: System :: Software Distribution',
  'Topic :: Utilities',
  'Typing :: Typed',
]);

/** Deprecated classifier → its replacements (trove_classifiers.deprecated_classifiers). */
export const DEPRECATED_CLASSIFIERS: ReadonlyMap<string, string[]> = new Map([
  ['Natural Language :: Ukranian', ['Natural Language :: Ukrainian']],
]);
