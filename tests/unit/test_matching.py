"""Subscription matching: labels, scores, filters, and one alert id per (subscription, story)."""

from __future__ import annotations

from datetime import UTC, datetime

from schemas.models import (
    ClassifiedUpdate,
    EmailTarget,
    Label,
    Severity,
    Subscription,
    Update,
    WebhookTarget,
)
from services.notify.alerts import alert_id, make_alert
from services.notify.matching import SubscriptionIndex

T = datetime(2025, 1, 1, tzinfo=UTC)


def sub(sid: str, labels: list[Label], min_score: float = 0.5, **kw: object) -> Subscription:
    kw.setdefault("webhook", WebhookTarget(url="https://hooks.example.org/x"))
    return Subscription(id=sid, name=sid, labels=labels, min_score=min_score, created_at=T, **kw)


def classified(labels: dict[Label, float], text: str = "Drones hit a power plant in the city",
               source: str = "blog", severity: Severity = Severity.MEDIUM,
               threshold: float = 0.5) -> ClassifiedUpdate:
    upd = Update(id="u1", source=source, body=text, first_seen_at=T, content_hash="h")
    scores = {lb: labels.get(lb, 0.0) for lb in Label}
    return ClassifiedUpdate(update=upd, labels=[lb for lb, s in labels.items() if s >= threshold],
                            scores=scores, severity=severity, classifier_version="t", classified_at=T)


def ids(matches):
    return sorted(m.subscription.id for m in matches)


def test_matches_subscriptions_on_any_of_their_labels():
    index = SubscriptionIndex([sub("a", [Label.AID]), sub("b", [Label.CIVILIAN_HARM, Label.AID]),
                               sub("c", [Label.ESCALATION])])
    assert ids(index.match(classified({Label.AID: 0.9}))) == ["a", "b"]


def test_label_scoring_below_the_subscriptions_min_score_does_not_match():
    index = SubscriptionIndex([sub("strict", [Label.AID], 0.95), sub("loose", [Label.AID], 0.6)])
    assert ids(index.match(classified({Label.AID: 0.8}))) == ["loose"]


def test_a_score_that_the_classifier_did_not_decide_never_matches():
    index = SubscriptionIndex([sub("low", [Label.AID], 0.1)])
    assert index.match(classified({Label.AID: 0.3})) == []


def test_reports_every_matched_label_once_per_subscription():
    index = SubscriptionIndex([sub("both", [Label.AID, Label.CIVILIAN_HARM])])
    [match] = index.match(classified({Label.AID: 0.9, Label.CIVILIAN_HARM: 0.8}))
    assert set(match.labels) == {Label.AID, Label.CIVILIAN_HARM}


def test_source_keyword_and_severity_filters():
    index = SubscriptionIndex([
        sub("src", [Label.AID], sources=["other"]),
        sub("kw", [Label.AID], keywords=["power plant"]),
        sub("kw-miss", [Label.AID], keywords=["hospital"]),
        sub("kw-word", [Label.AID], keywords=["power pla"]),
        sub("sev", [Label.AID], min_severity=Severity.HIGH),
    ])
    assert ids(index.match(classified({Label.AID: 0.9}))) == ["kw"]
    assert "sev" in ids(index.match(classified({Label.AID: 0.9}, severity=Severity.CRITICAL)))


def test_disabled_subscriptions_are_not_indexed():
    index = SubscriptionIndex([sub("off", [Label.AID], status="disabled")])
    assert index.size == 0
    assert index.match(classified({Label.AID: 0.9})) == []


def test_alert_id_is_stable_per_subscription_and_story_and_differs_otherwise():
    assert alert_id("s1", "u1") == alert_id("s1", "u1")
    assert len({alert_id("s1", "u1"), alert_id("s2", "u1"), alert_id("s1", "u2")}) == 3


def test_make_alert_carries_the_channel_labels_and_classification():
    email_sub = sub("m", [Label.AID], webhook=None, email=EmailTarget(address="a@example.org"))
    cu = classified({Label.AID: 0.9})
    [match] = SubscriptionIndex([email_sub]).match(cu)
    alert = make_alert(match, cu, T)
    assert alert.channel == "email"
    assert alert.matched_labels == [Label.AID]
    assert alert.classified.scores[Label.AID] == 0.9
    assert alert.id == alert_id("m", "u1")


def test_per_label_minimum_scores_override_the_general_one():
    index = SubscriptionIndex([sub("picky", [Label.AID, Label.CIVILIAN_HARM], 0.5,
                                   min_scores={Label.AID: 0.95})])
    assert index.match(classified({Label.AID: 0.9})) == []
    [match] = index.match(classified({Label.CIVILIAN_HARM: 0.6}))
    assert match.labels == (Label.CIVILIAN_HARM,)


def test_keywords_all_needs_every_phrase_any_needs_one():
    text = "A convoy reached the hospital in Marenko"
    index = SubscriptionIndex([
        sub("all-hit", [Label.AID], keywords=["convoy", "marenko"], keywords_mode="all"),
        sub("all-miss", [Label.AID], keywords=["convoy", "kherson"], keywords_mode="all"),
        sub("any-hit", [Label.AID], keywords=["kherson", "Reached the hospital"]),
    ])
    assert ids(index.match(classified({Label.AID: 0.9}, text=text))) == ["all-hit", "any-hit"]


def test_places_filter_uses_the_places_the_classifier_found():
    from schemas.models import Facts

    cu = classified({Label.CIVILIAN_HARM: 0.9}).model_copy(update={"facts": Facts(places=["Kharkiv"])})
    index = SubscriptionIndex([sub("kh", [Label.CIVILIAN_HARM], places=["kharkiv"]),
                               sub("od", [Label.CIVILIAN_HARM], places=["Odesa"])])
    assert ids(index.match(cu)) == ["kh"]


def test_paused_subscriptions_do_not_match():
    index = SubscriptionIndex([sub("p", [Label.AID], status="paused")])
    assert index.match(classified({Label.AID: 0.9})) == []


def test_a_subscription_reached_through_several_of_its_filters_matches_once():
    index = SubscriptionIndex([sub("kw", [Label.AID], keywords=["drones", "power plant"]),
                               sub("src", [Label.AID], sources=["blog", "wire"])])
    assert [m.subscription.id for m in index.match(classified({Label.AID: 0.9}))].count("kw") == 1
    assert ids(index.match(classified({Label.AID: 0.9}))) == ["kw", "src"]


def test_each_subscription_gets_exactly_the_labels_it_matched_on_in_the_updates_order():
    index = SubscriptionIndex([
        sub("aid+harm", [Label.AID, Label.CIVILIAN_HARM]),
        sub("all3", [Label.ESCALATION, Label.AID, Label.CIVILIAN_HARM]),
        sub("esc+aid-picky", [Label.ESCALATION, Label.AID], min_scores={Label.AID: 0.95}),
        sub("esc", [Label.ESCALATION]),
    ])
    cu = classified({Label.CIVILIAN_HARM: 0.8, Label.ESCALATION: 0.7, Label.AID: 0.9})
    got = {m.subscription.id: m.labels for m in index.match(cu)}
    assert got == {
        "aid+harm": (Label.CIVILIAN_HARM, Label.AID),
        "all3": (Label.CIVILIAN_HARM, Label.ESCALATION, Label.AID),
        "esc+aid-picky": (Label.ESCALATION,),
        "esc": (Label.ESCALATION,),
    }


def test_minimum_severity_is_met_at_or_above_it():
    index = SubscriptionIndex([sub("high", [Label.AID], min_severity=Severity.HIGH),
                               sub("low", [Label.AID], keywords=["drones"], min_severity=Severity.LOW)])
    assert ids(index.match(classified({Label.AID: 0.9}, severity=Severity.MEDIUM))) == ["low"]
    assert ids(index.match(classified({Label.AID: 0.9}, severity=Severity.HIGH))) == ["high", "low"]
    assert ids(index.match(classified({Label.AID: 0.9}, severity=Severity.LOW))) == ["low"]
