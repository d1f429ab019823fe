"""Structured JSON logs on stderr. Never pass draft or client text to a logger."""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from contextvars import ContextVar

#: The id of the request being handled; set by bots.observability, added to every log line.
REQUEST_ID: ContextVar[str | None] = ContextVar("request_id", default=None)
#: SDKs whose DEBUG logs print request and response bodies (drafts, rewrites): never below INFO.
_CHATTY = ("slack_bolt", "slack_sdk", "botbuilder", "botframework", "msrest", "aiohttp.client")
#: Where an SDK message starts quoting a request (Bolt logs the whole body at INFO when a
#: signature is invalid): everything from here on is withheld.
_QUOTES_REQUEST = re.compile(r"\b(?:body|payload|text)\b", re.IGNORECASE)


class WithholdRequestContent(logging.Filter):
    """Keep SDK log events but cut their messages where they start quoting request content."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith(_CHATTY):
            message = record.getMessage()
            cut = _QUOTES_REQUEST.search(message)
            if cut:
                record.msg, record.args = message[: cut.start()] + "[request content withheld]", ()
        return True


_STANDARD = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
}
#: One encoder for every line: `json.dumps` with options builds a new one per call.
_ENCODER = json.JSONEncoder(default=str, ensure_ascii=False)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        request_id = REQUEST_ID.get()
        if request_id:
            entry["request_id"] = request_id
        entry.update({k: v for k, v in record.__dict__.items() if k not in _STANDARD})
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return _ENCODER.encode(entry)


def configure_logging(level: str = "INFO") -> None:
    # No line shows the thread, process, process name or the caller's file and line, so records
    # need not look them up: an access line is written for every request. (`_srcfile = None` is
    # logging's documented switch for not walking the stack to find the caller.)
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    logging._srcfile = None
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(WithholdRequestContent())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in _CHATTY:
        logger = logging.getLogger(name)
        logger.setLevel(max(logging.INFO, root.level))
