"""Trigger phrases for ``aid``: money and assistance given to a party (see ``rules`` for the
model, ``rules_arms`` for weapons supplied and delivered, ``rules_relief`` for relief on the ground).

Aid needs a recipient in the sentence (``has_recipient``): a party of the conflicts
frontwire follows, people in need ("displaced families"), or any capitalised place or
people after a word of giving ("lend Tarsk", "to Kadugli") in an update about a war or
crisis. Money and "support" are everywhere in markets copy ("loans to Tesla"), and only
assistance to a party of a conflict is news here.
"""

from __future__ import annotations

import re

from schemas.models import Label
from services.classify.rules.base import Trigger, compile_rule
from services.classify.text.leads import first_guard
from services.classify.text.lexicon import AID_KIND, RECIPIENT, WEAPONS

A = Label.AID
_GAP = r"[^.;!?\n]"

MONEY = (r"(?:(?:US|A|C|NZ)?\$|£|€|¥|\b(?:USD|EUR|GBP|UAH|CHF|SEK|NOK|DKK|PLN|CAD|AUD|JPY)\s?)\s?\d[\d,.]*\s*"
         r"(?:bn|billion|b|m|mn|mln|million|k|thousand|tn|trillion)?\b"
         r"|\b\d[\d,.]*\s*(?:bn|billion|m|mn|mln|million|thousand|tn|trillion)?\s*"
         r"(?:dollars|euros|pounds(?:\s+sterling)?|hryvnias?|yen|francs|kroner|kronor|zlotys?|crowns|korun[ay]?|forints?|"
         r"shekels?|yuan)\b")
_AID_NOUN = (r"(?:aid|assistance|support|package|loans?|grants?|funding|funds|tranche|donations?|"
             r"financing|arms|weapons|military\s+equipment|ammunition|air\s+defen[cs]es?|humanitarian|"
             r"relief|budget\s+support|credits?|security\s+assistance|military\s+help|disbursements?|"
             r"lending|credit\s+line|facility)")
_GIVE = (r"(?:deliver\w*|sen[dt]|sending|ship\w*|suppl(?:y|ied|ies|ying)|provid\w*|pledg\w*|donat\w*|"
         r"hand\w*\s+(?:over|out)|transferr?\w*|announc\w*|approv\w*|unveil\w*|arriv\w*|receiv\w*|allocat\w*|"
         r"commit\w*|gave|give|giving|grant\w*|disburs\w*|airdrop\w*|airlift\w*|earmark\w*|"
         r"sign\w*\s+off|agree\w*|release\w*|loan\w*|distribut\w*|dispatch\w*|lend\w*|lent|"
         r"(?:train\s+and\s+)?equip\w*|fund\w*|financ\w*|contribut\w*|brought|bring\w*|gift(?:s|ed|ing)?)")
QUAL_MONEY = r"(?:more\s+than\s+|over\s+|about\s+|around\s+|nearly\s+|almost\s+|some\s+|up\s+to\s+)"
_MONEY_ANCHORS = ("$", "£", "€", "¥", "usd", "eur", "gbp", "uah", "chf", "sek", "nok", "dkk", "pln", "cad",
                  "aud", "jpy", "dollar", "euro", "pound", "hryvn", "yen", "franc", "kron", "zlot", "crown", "korun",
                  "forint", "shekel", "yuan")
_GIFT_ANCHORS = (" aid", "assistance", "support", "package", "suppl", "equipment", "help", "funding", "loan",
                 "grant", "tranche", "air defen", "air-defen", "patriot", "iris-t", "nasams", "himars",
                 "leopard", "abrams", "f-16", "mirage", "gripen", "food parcel", "medicine", "tents",
                 "generators")
_HUMANITARIAN_ANCHORS = ("kit", "items", "rations", "parcels", "cash", "tonnes", "mines", "howitzer",
                         "interceptor", "armoured", "armored", "ambulance", "deliveries", "landmine")
_NEEDS_RECIPIENT = compile_rule(rf"\b{RECIPIENT}\b")
# A named party after a word of giving or place: "lend Ukraine", "to Kadugli", "in North Kivu".
_NAMED_RECIPIENT = re.compile(
    r"\b(?:to|for|into|in|inside|across|reach(?:ed|es|ing)?|lend|lent|give|gave|gives|provide[sd]?|send|sent|"
    r"supply|supplied|equip|arm|help(?:ed|s)?|assist(?:ed|s)?|support(?:ed|s)?|fund(?:ed|s)?)\s+(?:the\s+)?"
    r"(?!(?:The|A|An|This|That|These|Its|His|Her|Their|Our|It|We|He|She|They|I|January|February|March|April|May|"
    r"June|July|August|September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|"
    r"Saturday|Sunday|Congress|Parliament|Senate|Brussels|Washington|Geneva|New\s+York|Europe|EU|NATO|"
    r"UN|US|U\.S\.)\b)[A-Z][\w'’-]+")


# A named recipient counts in an update about a war or a crisis ("loans to Tesla" is business).
_CONFLICT = compile_rule(
    r"\b(?:war|wars|war-\w+|conflict|fighting|army|armed|military|troops|forces|militias?|rebels?|"
    r"humanitarian|refugees?|displaced|ceasefire|occupation|occupied|offensive|siege|besieged|attacks?|"
    r"strikes|shelling|bombardment|crisis|famine|emergency|relief|defen[cs]e|weapons|arms|ammunition|"
    r"rebuild\w*|reconstruct\w*|ministry|government|budget|grid|donors?|convoys?|un|wfp|icrc|unicef|unhcr|"
    r"unrwa|ocha|red\s+cross|red\s+crescent|medicines?|flour|jets|tanks|missiles|drones|artillery|shells|"
    r"howitzers|air\s+force|navy|armou?red|munitions|rockets|interceptors|helicopters)\b")


def has_recipient(text: str, low: str, start: int, end: int) -> bool:
    """Whether the sentence names who receives the aid: a party of a conflict, people in
    need, or (in an update about a war or crisis) a capitalised place or people after a
    word of giving or place."""
    if _NEEDS_RECIPIENT.search(low, start, end) is not None:
        return True
    return _NAMED_RECIPIENT.search(text, start, end) is not None and _CONFLICT.search(low) is not None


NOT_GIFT_WORDS = (r"\b(?:strikes?(?!\s+(?:missiles?|drones?|weapons|systems|capabilit\w+))|blows?|attacks?(?!\s+(?:drones?|"
                   r"helicopters?|aircraft|submarines?|boats?))|salvos?|barrage|hits?|ultimatum|verdict|speech|address)\b")
NOT_GIFT = compile_rule(NOT_GIFT_WORDS)
# Next to an amount: an aid word, or a verb of giving ("approved an additional $1.3bn for Ukraine").
_NEEDS_AID_NOUN = compile_rule(rf"\b(?:{_AID_NOUN}|approv\w+|pledg\w+|allocat\w+|disburs\w+|donat\w+|"
                               rf"earmark\w+|committ\w+|granted|lend\w*|lent|loan\w*|contribution|"
                               rf"appropriat\w+|drawdown|funded|financed|paid\s+for|paid\s+out|fund|"
                               # "releasing about $1.1bn to Kyiv", "will give Ukraine 5 billion crowns"
                               rf"releas(?:e|ed|es|ing)|transferr?(?:ed|ing|s)?|gives?|gave|giving|"
                               rf"provid(?:e|es|ed|ing)|"
                               # a purchase is a sale unless made for a party (``cues._BUYS_FOR``)
                               rf"buy(?:s|ing)?|bought|purchas\w+|procur\w+)\b")

_AID = [
    # "$400 million in new arms for Ukraine", "£2.26 billion loan to Ukraine": an amount,
    # an aid word next to it and a recipient in the sentence
    Trigger(A, "money_aid", compile_rule(first_guard(MONEY)), 0.9, check=has_recipient, near=_NEEDS_AID_NOUN,
            anchors=_MONEY_ANCHORS),
    # "announced new military aid for Kyiv", "delivered air-defence systems"
    Trigger(A, "gives_aid", compile_rule(rf"\b(?<!-){_GIVE}\b"), 0.85, check=has_recipient,
            anchors=_GIFT_ANCHORS + _HUMANITARIAN_ANCHORS, forbid=NOT_GIFT,
            after=compile_rule(rf"\b{AID_KIND}\b")),
    # "generators donated by the EU", "howitzers paid for by Denmark"
    Trigger(A, "given_by", compile_rule(
        r"\b(?:donated|supplied|provided|pledged|gifted|financed|funded|paid\s+for|sent|shipped|delivered)\s+by\b"),
            0.85, check=has_recipient, anchors=tuple(f"{verb} by" for verb in (
                "donated", "supplied", "provided", "pledged", "gifted", "financed", "funded", "paid for", "sent",
                "shipped", "delivered")),
            before=compile_rule(rf"\b(?:{AID_KIND}|{WEAPONS})\s+$")),
    # "paid for with export credit extended to Kyiv", "a loan granted to Moldova": financing given
    Trigger(A, "credit_extended", compile_rule(
        r"\b(?:credits?|credit\s+lines?|loans?|financing|grants?|guarantees)\s+(?:[\w-]+\s+){0,2}?(?:extended|granted|"
        # (to a party, not to households or firms, as banking copy has it)
        r"issued|awarded|disbursed|allocated|made\s+available)\s+to\b(?!\s+(?:the\s+)?(?:[\w-]+\s+)?(?:households|consumers|"
        r"companies|firms|businesses|customers|clients|borrowers|banks|smes|homeowners|students)\b)"), 0.85,
            check=has_recipient, forbid=NOT_GIFT,
            anchors=("extended to", "granted to", "issued to", "awarded to", "disbursed to", "allocated to",
                     "available to")),
    # "will get Ukraine what it needs": a pledge without numbers
    Trigger(A, "pledge", compile_rule(
        r"\b(?:will|would|to)\s+(?:continue\s+to\s+)?(?:get|give|provide|send|supply|deliver)\s+"
        r"(?:\w+\s+){1,2}?(?:what\s+(?:it|they)\s+needs?|everything\s+(?:it|they)\s+needs?|all\s+(?:it|they)"
        r"\s+needs?)\b"), 0.5, check=has_recipient, anchors=("needs", "need ")),
]

AID_RULES: tuple[Trigger, ...] = tuple(_AID)
