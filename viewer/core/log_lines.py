"""Log records quoted in runbooks: whether a text opens with one, and what its message is.

Runbooks quote the log line an engineer will see ("If you see an error like below:" and a
``level=error ts=... msg="..."`` line). Such a block is output to recognise, never a
command to fill in (``variables.scan``), and the sidebar labels such a symptom with its
message rather than its timestamp (``triage.alerts.symptom_label``). Every pattern here
is anchored or bounded: a long line is read once.
"""

from __future__ import annotations

import re

# The first line of a log record: logfmt's level=/ts=/time=, an ISO or syslog-style date, a
# klog header (I1206 10:31:29.054), a bracketed level or date, a JSON log line.
_LOG_RECORD = re.compile(
    r"\s*(?:(?:level|lvl|ts|time|timestamp)=|\d{4}-\d\d-\d\d[T ]\d\d:\d\d"
    r"|[IWEF]\d{4} \d\d:\d\d:\d\d|\[(?:\d{4}-\d\d-\d\d|INFO|WARN(?:ING)?|ERROR|DEBUG|FATAL)\b"
    r"|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d\d:\d\d:\d\d"
    r"|\{\s*\"(?:level|ts|time|timestamp|msg|severity)\")", re.IGNORECASE)


def opens_log_record(text: str) -> bool:
    """Whether ``text`` (a code block's) starts with the first line of a log record."""
    return _LOG_RECORD.match(text.lstrip("\n")) is not None


# A log line's message, after what every line of its log starts with: a JSON or logfmt
# line's msg, else the text after a timestamp, a klog header ("E0809 14:24:23.1 17369
# x.go:195]") or a syslog one ("Nov 21 00:54:02 node-1 kernel:").
_JSON_MESSAGE = re.compile(r'"(?:msg|message)"\s*:\s*"((?:[^"\\]|\\.)+)"')
_LOGFMT_MESSAGE = re.compile(r'(?:^|\s)(?:msg|message)=(?:"((?:[^"\\]|\\.)+)"|(\S+))')
_LOGFMT_START = re.compile(r"^[\w.-]+=\S")
_LOG_LINE_READ = 500  # characters
_LOG_PREFIXES = (
    re.compile(r"^\d{4}-\d\d-\d\d[T ][\d:.,]+(?:Z|[+-]\d\d:?\d\d)?\s+"),
    re.compile(r"^[IWEF]\d{4} [\d:.]+\s+\d+\s+[\w./-]+:\d+\]\s+"),
    re.compile(r"^[A-Z][a-z]{2} +\d{1,2} [\d:]{8} \S+ [\w./-]+(?:\[\d+\])?:\s+"),
    re.compile(r"^\[[^\]\n]{8,40}\]\s+"),
)


def log_message(text: str) -> str:
    """The message of a quoted log line, for its label: ``time="..." level=error
    msg="Failed to resize"`` shows "Failed to resize"; any other text is itself."""
    text = text[:_LOG_LINE_READ]  # the label shows the start: never a long line's all
    found = (_JSON_MESSAGE.search(text) if text.startswith("{") else
             _LOGFMT_MESSAGE.search(text) if _LOGFMT_START.match(text) else None)
    if found:
        return next(group for group in found.groups() if group).replace('\\"', '"')
    message = text
    for prefix in _LOG_PREFIXES:
        message = prefix.sub("", message, count=1)
    return message or text
