"""Secrets for sources: only in the OS keyring, or in memory for this run.

``keyring`` picks the platform's store (macOS Keychain, Windows Credential
Locker, Secret Service). When the only backend it finds keeps secrets in a
plain file or nowhere (keyrings.alt's plaintext file, the null and fail
backends), nothing is written: the secret is held in memory until the app
exits, and :attr:`CredentialStore.warning` says so. :func:`scrub` takes
secrets out of any text before it is shown, logged or saved.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterable

SERVICE = "runbook-viewer"
_INSECURE_BACKENDS = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")
# Up to the last '@' of the address that a host and path follow: a password typed
# unencoded may hold '/', '#' or '?' before it.
_URL_USERINFO = re.compile(
    r"(?i)\b([a-z][a-z0-9+.-]*://)\S*@(?=(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d*)?(/|[\s'\",)]|$))")
_AUTH_HEADER = re.compile(r"(?i)(authorization:\s*\w+\s+)\S+")
_known_secrets: set[str] = set()
_memory: dict[str, str] = {}  # the in-memory fallback, shared by every store of this process

log = logging.getLogger(__name__)


def scrub(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with ``user:secret@`` taken out of URLs and every known secret masked."""
    text = _URL_USERINFO.sub(r"\1", text)
    text = _AUTH_HEADER.sub(r"\1•••", text)
    for secret in sorted({*_known_secrets, *secrets}, key=len, reverse=True):
        if len(secret) >= 3:
            text = text.replace(secret, "•••")
    return text


def _backend_name(backend: object) -> str:
    kind = type(backend)
    return f"{kind.__module__}.{kind.__name__}"


def _secure_backends(backend: object) -> list[object]:
    inner = getattr(backend, "backends", None)  # keyring's ChainerBackend
    candidates = list(inner) if isinstance(inner, list | tuple) else [backend]
    return [b for b in candidates if not _backend_name(b).startswith(_INSECURE_BACKENDS)
            and "plaintext" not in _backend_name(b).lower()]


def forget_session_secrets() -> None:
    """Drop every secret held in memory for this run (the keyring is not touched)."""
    _memory.clear()
    _known_secrets.clear()


class CredentialStore:
    """Reads and writes source secrets, keyed by source name."""

    def __init__(self, backend: object | None = None) -> None:
        self._backend = backend
        self._checked = False
        self._secure = False
        self.warning = ""

    def _keyring(self) -> object | None:
        if not self._checked:
            self._checked = True
            try:
                if self._backend is None:
                    import keyring

                    self._backend = keyring.get_keyring()
                self._secure = bool(_secure_backends(self._backend))
            except Exception as err:  # a broken D-Bus session, a missing library...
                log.warning("no keyring: %s", err)
                self._secure = False
            if not self._secure:
                self.warning = (
                    "No secure keyring (GNOME Keyring or KWallet, the macOS Keychain, the "
                    "Windows Credential Locker) is available on this computer, so passwords "
                    "are kept in memory for this session only and asked for again next time.")
        return self._backend if self._secure else None

    @property
    def persistent(self) -> bool:
        """True when secrets survive a restart (a secure keyring is there)."""
        return self._keyring() is not None

    def get(self, source: str) -> str:
        """The secret for ``source``, or "" when none is stored."""
        secret = _memory.get(source, "")
        backend = self._keyring()
        if not secret and backend is not None:
            try:
                secret = backend.get_password(SERVICE, source) or ""  # type: ignore[attr-defined]
            except Exception as err:
                log.warning("keyring read failed for %s: %s", source, type(err).__name__)
                self.warning = f"The keyring could not be read: {scrub(str(err))}"
        if secret:
            _known_secrets.add(secret)
        return secret

    def set(self, source: str, secret: str) -> str:
        """Store ``secret``; returns where it went, in words for the user."""
        if not secret:
            return ""
        _known_secrets.add(secret)
        backend = self._keyring()
        if backend is not None:
            try:
                backend.set_password(SERVICE, source, secret)  # type: ignore[attr-defined]
                _memory.pop(source, None)
                return "Saved in the system keyring."
            except Exception as err:
                self.warning = (f"The keyring refused the password ({scrub(str(err))}); it is "
                                "kept in memory for this session only.")
        _memory[source] = secret
        return self.warning

    def delete(self, source: str) -> None:
        _memory.pop(source, None)
        backend = self._keyring()
        if backend is None:
            return
        with contextlib.suppress(Exception):  # nothing stored: nothing to delete
            backend.delete_password(SERVICE, source)  # type: ignore[attr-defined]
