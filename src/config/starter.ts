/**
 * The file `pypi-reserve init` writes. Every key is present but commented
 * out, so the file as written changes nothing and loads cleanly: no
 * placeholder text ("CHANGE ME") can ever reach PyPI, where it would be
 * public. Until `owner` is set here or with `--owner`, commands that build
 * placeholders stop with a message saying so.
 */
export const STARTER_CONFIG = `# pypi-reserve.toml: settings for pypi-reserve, which reserves your private
# package names on PyPI with harmless placeholders.
#
# Every key is optional and commented out: remove the leading "# " to use one.
# A command-line flag replaces the value set here for the same key; values set
# here replace the built-in defaults. Relative paths are relative to this file.
# Check the file after editing it with:  pypi-reserve init --check

# --- What every placeholder says (public on PyPI: keep it to one line each) ---

# Who holds the names. Required to build or reserve (here or with --owner).
# owner = "Example Corp Security Team"

# An e-mail address for questions about the names.
# contact = "security@example.com"

# A web page about your organisation or your name-reservation policy.
# url = "https://example.com/security"

# A short extra sentence for the placeholder's description.
# note = "Reserved to protect our internal packages against dependency confusion."

# The placeholder's version (PEP 440); the default is 0.0.0.
# version = "0.0.0"

# --- Where to upload and look ---

# "pypi", "testpypi" or a section of ~/.pypirc. The default is pypi.
# repository = "pypi"

# Or explicit URLs: the upload endpoint and the simple index that goes with it.
# repository-url = "https://upload.pypi.org/legacy/"
# index-url = "https://pypi.org/simple/"

# The most new projects to create in one run (PyPI limits new projects per day;
# the rest wait for the next run). A whole number, 0 or more.
# max-new = 4

# --- Who you are on PyPI (recommended) ---

# Your PyPI usernames and organization. With them, a project is reserved when
# PyPI's own record lists one of them (any role) and taken otherwise, whatever
# its files are; without them, ownership is judged by the placeholder files.
# accounts = ["example-security"]
# organization = "example-corp"

# For pypi-reserve audit: your own proxies of PyPI, counted as public like PyPI and its
# known mirrors (an index listed before your private one is then risky).
# public-indexes = ["https://nexus.example.com/repository/pypi-proxy/"]

# --- Where the names come from ---
# Sources are read in this order; a name seen twice keeps its first place.
# [sources]

# Files with one name per line ("#" starts a comment). "-" reads standard input.
# names-files = ["private-names.txt"]

# pip requirements files (-r and -c includes are followed). Only project
# names are taken; paths and URLs count only with "#egg=name".
# requirements = ["requirements.txt", "requirements-dev.txt"]

# pyproject.toml files: [project] name, dependencies, optional-dependencies
# and [dependency-groups].
# pyproject = ["pyproject.toml"]

# Private indexes whose every project is a private name (their simple root).
# Never put credentials in this file: use index-credentials-env or ~/.netrc.
# from-index = ["https://nexus.example.com/repository/pypi-internal/simple/"]

# The NAME of an environment variable holding the index credential:
# "user:secret" is sent as Basic auth, a bare token as a Bearer token.
# A config file may only name variables starting with PYPI_RESERVE_.
# index-credentials-env = "PYPI_RESERVE_INDEX_AUTH"

# Glob patterns (* ? [abc]) over normalized names (lowercase, "-" for runs of
# "-", "_", "."). Names matching an include pattern (all, when none is given)
# minus names matching an exclude pattern are kept. Requirements files also
# name public projects: an include pattern keeps only yours.
# include = ["acme-*", "acme"]
# exclude = ["acme-public-*"]
`;
