"""The fault harness shares the sync tests' real git server."""

from tests.sync.conftest import upstream  # noqa: F401 - a fixture for this folder too
