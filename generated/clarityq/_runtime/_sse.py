"""Server-sent events decoding, as the HTML Living Standard's event-stream parsing defines it.

Bytes arrive in arbitrary chunks (a TCP read may end inside a line, a UTF-8 character or
a CRLF pair); ``SSEDecoder.feed`` takes each chunk and returns the events it completes.
Kept free of I/O so sync and async streams share it. Written here rather than taken from
httpx-sse so generated packages keep depending on httpx and pydantic only, and so a
final event without its trailing blank line (which several vendors' servers send) is
delivered by ``finish()``.
"""

from __future__ import annotations

import codecs

__all__ = ["SSEDecoder", "ServerSentEvent"]


class ServerSentEvent:
    """One dispatched event: its type (``message`` unless ``event:`` said otherwise), data, id, retry."""

    __slots__ = ("data", "event", "id", "retry")

    def __init__(self, data: str, event: str = "message", id: str | None = None, retry: int | None = None) -> None:
        self.data = data
        self.event = event
        self.id = id
        self.retry = retry

    def _key(self) -> tuple[str, str, str | None, int | None]:
        return (self.data, self.event, self.id, self.retry)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ServerSentEvent) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"ServerSentEvent(data={self.data!r}, event={self.event!r}, id={self.id!r}, retry={self.retry!r})"


class SSEDecoder:
    """Incremental event-stream parser; ``max_event_bytes`` bounds one line and one event's data."""

    def __init__(self, max_event_bytes: int | None = None) -> None:
        self._text = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = ""  # text after the last line break
        self._skip_lf = False  # the previous chunk ended in CR: a leading LF belongs to it
        self._started = False  # a leading BOM is dropped once
        self._event = ""
        self._data: list[str] = []
        self._data_size = 0
        self._last_id: str | None = None
        self._retry: int | None = None
        self._max = max_event_bytes

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        """Decode one chunk of the body; return the events it completed, in order."""
        text = self._text.decode(chunk)
        return self._lines(text)

    def finish(self) -> list[ServerSentEvent]:
        """End of the body: the last line counts as complete, and a pending event is delivered."""
        events = self._lines(self._text.decode(b"", final=True))
        if self._pending:
            line, self._pending = self._pending, ""
            event = self._line(line)
            if event is not None:
                events.append(event)
        event = self._dispatch()
        if event is not None:
            events.append(event)
        return events

    @property
    def has_partial_event(self) -> bool:
        """True while a line or an event has started but not yet ended."""
        return bool(self._pending or self._data or self._event)

    def _lines(self, text: str) -> list[ServerSentEvent]:
        if not text:
            return []
        if not self._started:
            self._started = True
            text = text.removeprefix("\ufeff")
        if self._skip_lf and text.startswith("\n"):
            text = text[1:]
        self._skip_lf = False
        buffer = self._pending + text
        events: list[ServerSentEvent] = []
        start = 0
        length = len(buffer)
        while start < length:
            cr = buffer.find("\r", start)
            lf = buffer.find("\n", start)
            if cr == -1 and lf == -1:
                break
            if cr == -1 or (lf != -1 and lf < cr):
                end, nxt = lf, lf + 1
            elif cr + 1 < length:
                end, nxt = cr, cr + 2 if buffer[cr + 1] == "\n" else cr + 1
            else:  # CR is the last character: its LF may come with the next chunk
                end, nxt = cr, cr + 1
                self._skip_lf = True
            event = self._line(buffer[start:end])
            if event is not None:
                events.append(event)
            start = nxt
        self._pending = buffer[start:]
        if self._max is not None and len(self._pending) > self._max:
            raise ValueError(f"an event-stream line is longer than {self._max} bytes")
        return events

    def _line(self, line: str) -> ServerSentEvent | None:
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            return None  # comment (often a keep-alive)
        name, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if name == "data":
            self._data.append(value)
            self._data_size += len(value) + 1
            if self._max is not None and self._data_size > self._max:
                raise ValueError(f"an event's data is longer than {self._max} bytes")
        elif name == "event":
            self._event = value
        elif name == "id":
            if "\0" not in value:
                self._last_id = value
        elif name == "retry" and value.isascii() and value.isdigit():
            self._retry = int(value)
        return None  # other field names are ignored, as the standard says

    def _dispatch(self) -> ServerSentEvent | None:
        data, event = self._data, self._event
        self._data, self._event, self._data_size = [], "", 0
        if not data:
            return None  # a blank line with no data dispatches nothing
        return ServerSentEvent(data="\n".join(data), event=event or "message", id=self._last_id, retry=self._retry)
