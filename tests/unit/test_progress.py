"""When `make demo` may stop: input complete, every stage caught up, then a quiet window."""

from __future__ import annotations

from frontwire.progress import Counts, Progress

DONE = Counts(ingested=34, revisions=1, classified=35, seen=35, alerts=46, delivered=46)


def test_caught_up_needs_every_stage_to_have_processed_the_one_before() -> None:
    assert DONE.caught_up
    assert not Counts(ingested=34, revisions=1, classified=34, seen=34, alerts=44,
                      delivered=44).caught_up  # the revision is not classified yet
    assert not Counts(ingested=34, revisions=1, classified=35, seen=34, alerts=44,
                      delivered=44).caught_up  # notify has not read it yet
    assert not Counts(ingested=34, revisions=1, classified=35, seen=35, alerts=46, delivered=45,
                      ).caught_up  # one alert undelivered
    assert not Counts(ingested=34, revisions=1, classified=35, seen=35, alerts=46, delivered=46,
                      pending=1).caught_up  # a retry waits
    assert not Counts().caught_up


def test_not_done_before_the_input_is_complete_however_quiet() -> None:
    progress = Progress(quiet=3)
    assert not any(progress.observe(DONE, now, input_complete=False) for now in range(0, 100, 5))


def test_the_quiet_window_starts_when_the_input_completes_not_before() -> None:
    # Counts quiet for long before the last page was fetched must not end the run at once:
    # that fetch (the scripted edit) is still on its way through the stages.
    progress = Progress(quiet=3)
    assert not progress.observe(DONE, 0.0, input_complete=False)
    assert not progress.observe(DONE, 50.0, input_complete=True)
    assert not progress.observe(DONE, 52.9, input_complete=True)
    assert progress.observe(DONE, 53.0, input_complete=True)


def test_any_change_restarts_the_quiet_window() -> None:
    progress = Progress(quiet=3)
    before = Counts(ingested=34, classified=34, seen=34, alerts=44, delivered=44)
    assert not progress.observe(before, 0.0, input_complete=True)
    assert not progress.observe(before, 2.0, input_complete=True)
    assert not progress.observe(DONE, 2.5, input_complete=True)  # the revision went through
    assert not progress.observe(DONE, 5.0, input_complete=True)
    assert progress.observe(DONE, 5.5, input_complete=True)


def test_the_summary_line_has_the_four_counts() -> None:
    assert DONE.line() == "ingested=34 classified=35 alerts=46 delivered=46"
