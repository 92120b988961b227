"""Write the JSON Schema of every message to schemas/json/ (run after changing a model).

    python -m schemas.generate          # write
    python -m schemas.generate --check  # exit 1 if the committed files are stale
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from schemas.envelope import CloudEvent
from schemas.models import Delivery, Subscription
from schemas.topics import CATALOGUE

HERE = Path(__file__).parent / "json"


def schemas() -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for topic in CATALOGUE:
        doc = CloudEvent[topic.value].model_json_schema()  # type: ignore[name-defined]
        doc["$id"] = f"https://frontwire.dev/schemas/{topic.event_type}.json"
        doc["title"] = f"{topic.event_type} on {topic.name}"
        out[f"{topic.event_type}.schema.json"] = doc
    for model, name in ((Subscription, "frontwire.subscription.v1"), (Delivery, "frontwire.delivery.v1")):
        doc = model.model_json_schema()
        doc["$id"] = f"https://frontwire.dev/schemas/{name}.json"
        out[f"{name}.schema.json"] = doc
    return out


def render(doc: dict[str, object]) -> str:
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    stale = []
    HERE.mkdir(exist_ok=True)
    for name, doc in schemas().items():
        path = HERE / name
        text = render(doc)
        if "--check" in argv:
            if not path.exists() or path.read_text() != text:
                stale.append(name)
        else:
            path.write_text(text)
    if stale:
        print("stale JSON Schemas (run `python -m schemas.generate`):", ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
