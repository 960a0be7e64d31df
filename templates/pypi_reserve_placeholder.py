"""Build backend of a pypi-reserve name placeholder.

This distribution has no code. Every PEP 517 and PEP 660 hook refuses with the
message below, so any installer stops at once with it. Importing this module
does nothing, and it imports nothing.
"""

MESSAGE = {{message}}


def _refuse(*args, **kwargs):
    raise RuntimeError(MESSAGE)


# PEP 517
def get_requires_for_build_wheel(config_settings=None):
    _refuse()


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    _refuse()


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    _refuse()


def get_requires_for_build_sdist(config_settings=None):
    _refuse()


def build_sdist(sdist_directory, config_settings=None):
    _refuse()


# PEP 660
def get_requires_for_build_editable(config_settings=None):
    _refuse()


def prepare_metadata_for_build_editable(metadata_directory, config_settings=None):
    _refuse()


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    _refuse()
