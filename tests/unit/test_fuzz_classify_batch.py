"""Property test of `frontwire classify` (batch): any lines in, one JSON result or one
numbered error per line out, and an exit code; never a crash."""

from __future__ import annotations

import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.classify.batch import main

FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["text", "headline", "body", "id", "source", "first_seen_at", "revision",
                         "content_hash", "kind", "x"]), inner, max_size=6),
    max_leaves=20)
lines = st.text(alphabet=st.characters(blacklist_characters="\n\r"), max_size=300) | json_values.map(json.dumps)


@FUZZ
@given(batch=st.lists(lines, max_size=15))
def test_any_lines_give_a_result_or_an_error_per_line_and_never_crash(batch: list[str]) -> None:
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main(io.StringIO("\n".join(batch) + "\n"), stdout, stderr)
    assert code in (0, 1, 2)
    results = [json.loads(line) for line in stdout.getvalue().split("\n") if line]  # not splitlines: U+2028
    assert all(isinstance(r, dict) for r in results)
    assert len(results) <= sum(1 for line in batch if line.strip())
