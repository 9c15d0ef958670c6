"""Keeping the synced sources current from the window: when to sync, off the UI thread.

Syncs run on one worker thread, one at a time: at start-up, every
``sync_minutes``, when Qt's network information says the machine is online
again, and, while remotes are unreachable, after a cheap reachability probe
that backs off from seconds to minutes. A sync can be cancelled; the copy
shown is never touched by a failed one (see :mod:`viewer.sync.engine`).

A source whose password or key passphrase is not stored is asked for it
once a session, and only once its remote answers: a prompt for a password
that cannot be used (a laptop with no network) would only be in the way.
The keyring is read and written on the worker thread too, never on the UI
thread: a keyring that hangs on D-Bus must not freeze the window.
"""

from __future__ import annotations

import logging
import threading
import time

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal

from viewer.sync.credentials import CredentialStore
from viewer.sync.engine import SyncOutcome, secret_need, sync_source
from viewer.sync.reachability import Backoff, reachable
from viewer.sync.snapshots import SourceCache, SyncStatus, describe_age, describe_copy
from viewer.sync.sources import Source, SourceList
from viewer.ui.tasks import run_in_pool

log = logging.getLogger(__name__)
FIRST_RETRY_SECONDS = 5.0  # the first probe after a failed sync; doubles up to 5 minutes


class SyncKeeper(QObject):
    """Signals: ``started()``, ``progress(text)``, ``finished(outcomes)``, ``state_changed()``."""

    started = Signal()
    progress = Signal(str)
    finished = Signal(object)  # list[SyncOutcome]
    state_changed = Signal()
    _done = Signal(object, object)
    _probed = Signal(object, object)
    _checked = Signal(object, object)

    def __init__(self, listing: SourceList, credentials: CredentialStore | None = None,
                 parent: QObject | None = None, *, first_retry: float | None = None) -> None:
        super().__init__(parent)
        self.listing = listing
        self.credentials = credentials or CredentialStore()
        self.running = False
        self.offline = False
        self.last_outcomes: dict[str, SyncOutcome] = {}
        self._pending = False
        self._statuses: dict[str, SyncStatus] | None = None
        self._asking = False
        self._probing = False  # a probe or a check of the stored secrets is running
        self._sync_after_check: list[str] | None = None
        self._asked: set[str] = set()
        self._reached: set[str] = set()  # sources whose remote answered this session
        self._cancel = threading.Event()
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._backoff = Backoff(FIRST_RETRY_SECONDS if first_retry is None else first_retry)
        self._period = QTimer(self)
        self._period.timeout.connect(self.sync_now)
        self._probe_timer = QTimer(self, singleShot=True)
        self._probe_timer.timeout.connect(self._probe)
        self._done.connect(self._finished)
        self._probed.connect(self._probe_result)
        self._checked.connect(self._check_result)
        self._network = None
        self.ask_secret = None  # callable(source) -> str, set by the window
        self.set_listing(listing)

    # -- configuration -------------------------------------------------------------
    @property
    def git_sources(self) -> list[Source]:
        return [s for s in self.listing.sources if s.is_git]

    def set_listing(self, listing: SourceList) -> None:
        self.listing = listing
        self._statuses = None
        self._period.stop()
        if listing.sync_minutes > 0 and self.git_sources:
            self._period.start(listing.sync_minutes * 60_000)

    def watch_network(self) -> None:
        """Sync as soon as Qt reports the machine online again (where a backend exists)."""
        try:
            from PySide6.QtNetwork import QNetworkInformation

            if QNetworkInformation.loadDefaultBackend():
                self._network = QNetworkInformation.instance()
                self._network.reachabilityChanged.connect(self._reachability_changed)
        except Exception as err:  # no backend on this platform: the probe covers it
            log.info("no network information backend: %s", err)

    def _reachability_changed(self, reachability) -> None:  # type: ignore[no-untyped-def]
        from PySide6.QtNetwork import QNetworkInformation

        if reachability == QNetworkInformation.Reachability.Online and self.offline:
            self.sync_now()

    # -- syncing -------------------------------------------------------------------
    def sync_now(self, names: list[str] | None = None, *,
                 to_ask: list[str] | None = None) -> None:
        """Sync every git source (or ``names``); queued if a sync is running.

        First, on the worker, the keyring is checked for the secrets of the
        sources that could need one, and those found missing are probed; the
        sync follows with ``to_ask``, the sources whose secret to ask for now.
        """
        if self.running or self._asking or self._probing:  # e.g. a timer during a prompt
            self._pending = True
            return
        sources = [s for s in self.git_sources if names is None or s.name in names]
        if not sources:
            return
        askable = [s for s in sources if self._may_ask(s)]  # reads SSH key files: once here
        if to_ask is None and askable:
            self._check_secrets(askable, names)
            return
        secrets: dict[str, str] = {}
        for source in sources:  # the prompts, on the UI thread; storing them is not
            if source.name in (to_ask or ()) and source.name not in self._asked:
                self._asked.add(source.name)
                self._asking = True
                try:
                    secret = self.ask_secret(source)  # type: ignore[misc]
                finally:
                    self._asking = False
                if secret:
                    secrets[source.name] = secret
        self._probe_timer.stop()
        self._cancel.clear()
        self.running = True
        self.started.emit()
        self.state_changed.emit()
        credentials, cancel = self.credentials, self._cancel
        # Those just asked are no longer askable (see _may_ask).
        unasked = {s.name for s in askable
                   if s.name not in self._asked and s.name not in self._reached}

        def job() -> tuple[list[SyncOutcome], list[str]]:
            for name, secret in secrets.items():
                credentials.set(name, secret)
            outcomes = []
            for source in sources:
                if cancel.is_set():
                    break
                outcomes.append(sync_source(source, credentials, progress=self.progress.emit,
                                            cancelled=cancel.is_set))
            # A remote that answered though the probe could not reach it (a proxy,
            # say) refused a sync without the secret nobody was asked for.
            refused = [o.name for o in outcomes if not o.ok and not o.unreachable
                       and o.name in unasked and not credentials.get(o.name)]
            return outcomes, refused

        run_in_pool(self._pool, job, self._done.emit)

    def cancel(self) -> None:
        self._cancel.set()
        self._pending = False

    def stop(self) -> None:
        self.cancel()
        self._period.stop()
        self._probe_timer.stop()
        self._pool.waitForDone(15000)

    def _finished(self, result: tuple[list[SyncOutcome], list[str]] | None,
                  error: BaseException | None) -> None:
        self.running = False
        if error is not None:  # sync_source words every failure; this is a bug
            log.error("sync failed", exc_info=error)
        outcomes, refused = result if result is not None else ([], [])
        for outcome in outcomes:
            self.last_outcomes[outcome.name] = outcome
        self._statuses = None
        unreachable = [o for o in outcomes if o.unreachable]
        self.offline = bool(outcomes) and len(unreachable) == len(outcomes)
        if unreachable and not self._cancel.is_set():
            self._probe_timer.start(int(self._backoff.next_delay() * 1000))
        else:
            self._backoff.reset()
        # Those refused for want of a secret are asked next: their failure is not news.
        self._reached.update(refused)
        self.finished.emit([o for o in outcomes if o.name not in refused])
        self.state_changed.emit()
        if refused and not self._cancel.is_set():
            QTimer.singleShot(0, lambda: self.sync_now(refused, to_ask=refused))
        elif self._pending:
            self._pending = False
            QTimer.singleShot(0, self.sync_now)

    def _may_ask(self, source: Source) -> bool:
        """Whether ``source`` could need its secret asked for (without reading the keyring)."""
        return (source.name not in self._asked and self.ask_secret is not None
                and secret_need(source) is not None)

    def _check_secrets(self, sources: list[Source], names: list[str] | None) -> None:
        """On the worker: which of ``sources`` lack a stored secret and answer; then sync."""
        self._probing = True
        self._sync_after_check = names
        credentials, reached = self.credentials, set(self._reached)
        run_in_pool(self._pool, lambda: _secrets_to_ask(sources, credentials, reached),
                    self._checked.emit)

    def _check_result(self, result: tuple[list[str], list[str]] | None,
                      error: BaseException | None) -> None:
        self._probing = False
        to_ask, answered = result if result is not None else ([], [])
        self._reached.update(answered)
        # Sources that did not answer are synced without asking, and fail as offline.
        self.sync_now(self._sync_after_check, to_ask=to_ask)

    def _probe(self) -> None:
        sources = self.git_sources
        if self.running or self._probing or not sources:
            return
        run_in_pool(self._pool, lambda: _answering(sources), self._probed.emit)

    def _probe_result(self, answered: list[str] | None, error: BaseException | None) -> None:
        self._reached.update(answered or [])
        if answered:
            self.sync_now()
        elif not self.running:
            self._probe_timer.start(int(self._backoff.next_delay() * 1000))

    # -- what to tell the user -------------------------------------------------------
    def forget_statuses(self) -> None:
        """Read each copy's status again next time (another process may have synced)."""
        self._statuses = None

    def statuses(self) -> dict[str, SyncStatus]:
        """Each git source's status, read from disk once after each sync or list change."""
        if self._statuses is None:
            self._statuses = {s.name: SourceCache(s.name).status() for s in self.git_sources}
        return self._statuses

    def summary(self, page_source: str = "") -> tuple[str, str]:
        """A calm one-liner for the status bar, and a tooltip with each source's details.

        The line says the state ("Offline") and which copy is shown: the open
        page's (``page_source``), with its age, or else the oldest copy.
        """
        statuses = self.statuses()
        if not statuses:
            return "", ""
        lines = []
        for name, status in statuses.items():
            line = f"{name}: {describe_copy(status)}"
            if status.last_error:
                line += f"\n  last attempt failed: {status.last_error}"
            lines.append(line)
        failed = [n for n, s in statuses.items() if s.last_error]
        if self.running:
            state = "Syncing…"
        elif self.offline:
            state = "Offline"
        elif failed:
            state = f"Sync failed for {', '.join(failed)}"
        elif not any(s.commit for s in statuses.values()):
            state = "Not synced yet"
        else:
            state = "Synced"
        page = statuses.get(page_source)
        if page is not None and page.commit:
            age = describe_age(time.time() - page.last_sync)
            detail = f"this page: {page_source} {describe_copy(page)} ({age} old)"
        else:
            copies = [s for s in statuses.values() if s.commit]
            oldest = min(copies, key=lambda s: s.last_sync) if copies else None
            detail = "" if oldest is None else (
                describe_copy(oldest) if len(statuses) == 1 else f"oldest {describe_copy(oldest)}")
        return (f"{state} - {detail}" if detail else state), "\n".join(lines)


def _answering(sources: list[Source]) -> list[str]:
    """Names of the sources whose remote answers right now (a TCP probe each; blocks)."""
    return [source.name for source in sources if reachable(source)]


def _secrets_to_ask(sources: list[Source], credentials: CredentialStore,
                    reached: set[str]) -> tuple[list[str], list[str]]:
    """(sources to ask for their secret now, sources that answered a probe). Blocks.

    A source with its secret stored needs no prompt; one without is asked
    for it only once its remote has answered, this session or now.
    """
    missing = [source for source in sources if not credentials.get(source.name)]
    answered = _answering([source for source in missing if source.name not in reached])
    return [s.name for s in missing if s.name in reached or s.name in answered], answered
