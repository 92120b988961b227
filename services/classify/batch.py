"""The body of ``frontwire classify``: JSON Lines of updates in, ClassifiedUpdates out.

Each input line is an Update, or any object with ``text``, or with ``headline``
and ``body``. An ``id`` given is kept: as the output line's top-level ``id``, exactly
as given (an integer stays an integer), and as ``update.id``, as a string (else
``update.id`` is a digest of the text and there is no top-level ``id``). A bad line is
reported on stderr with its number and skipped; the exit code is 0 when at least
one line was classified (or the input was empty), 1 when every line failed.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any, Literal, TextIO

import orjson
from pydantic import ValidationError

from schemas.models import ClassifiedUpdate, Update
from services.classify.core import Classifier

_UPDATE_FIELDS = ("body", "source", "first_seen_at", "content_hash")


class BadLine(ValueError):
    """A line that cannot become an Update; the message says why."""


def main(stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    classifier = Classifier()
    ok = failed = 0
    for number, line in enumerate(stdin, start=1):
        if not line.strip():
            continue
        try:
            obj = _parse(line)
            update = to_update(obj, now=datetime.now(UTC))
        except BadLine as exc:
            failed += 1
            stderr.write(f"frontwire classify: line {number}: {exc}; skipped\n")
            continue
        result = classifier.classify(update, classified_at=datetime.now(UTC))
        stdout.write(output_line(result, obj) + "\n")
        ok += 1
    if failed:
        stderr.write(f"frontwire classify: {ok} classified, {failed} skipped\n")
    stdout.flush()
    return 1 if failed and not ok else 0


def output_line(result: ClassifiedUpdate, given: dict[str, Any]) -> str:
    """The ClassifiedUpdate as JSON, led by the input's own ``id`` (unchanged) if it had one."""
    if given.get("id") in (None, ""):
        return result.model_dump_json()
    doc = {"id": given["id"], **result.model_dump(mode="json")}
    return orjson.dumps(doc).decode()


def _parse(line: str) -> dict[str, Any]:
    try:
        obj = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        raise BadLine(f"not valid JSON ({exc})") from None
    if not isinstance(obj, dict):
        raise BadLine(f"expected a JSON object, got {type(obj).__name__}")
    return obj


def to_update(obj: dict[str, Any], *, now: datetime) -> Update:
    """An Update from a full Update object, a ``text`` object or a ``headline``/``body`` object."""
    try:
        if all(key in obj for key in _UPDATE_FIELDS) and "id" in obj:
            return Update.model_validate(obj)
        headline, body = _text_of(obj)
        whole = f"{headline}\n{body}" if headline else body
        digest = hashlib.sha256(" ".join(whole.split()).encode()).hexdigest()
        given_id = obj.get("id")
        kind: Literal["update", "summary"] = "summary" if obj.get("kind") == "summary" else "update"
        return Update(
            id=str(given_id) if given_id not in (None, "") else f"stdin-{digest[:16]}",
            source=str(obj.get("source") or "stdin"), kind=kind, headline=headline, body=body,
            url=obj.get("url"), first_seen_at=now, content_hash=digest)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'object'}: {e['msg']}" for e in exc.errors())
        raise BadLine(f"not a valid update ({problems})") from None


def _text_of(obj: dict[str, Any]) -> tuple[str | None, str]:
    text = obj.get("text")
    if isinstance(text, str) and text.strip():
        return None, text
    headline, body = obj.get("headline"), obj.get("body")
    if isinstance(body, str) and body.strip():
        return (headline if isinstance(headline, str) and headline.strip() else None), body
    if isinstance(headline, str) and headline.strip():
        return None, headline
    raise BadLine('no text: give "text", or "headline" and "body", or a full Update')
