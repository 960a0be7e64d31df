# A name placeholder made by pypi-reserve: it has no code. Legacy tools that run
# setup.py directly get the same refusal as modern installers.
raise RuntimeError({{message}})
