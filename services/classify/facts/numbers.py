"""Reading numbers and money as news writes them: "four", "at least 20", "73,000", "$425m", "£2.26 billion".

Shared by the facts extractor; pure functions over strings.
"""

from __future__ import annotations

import re

from services.classify.text.leads import first_guard

_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "a hundred": 100, "a dozen": 12, "a": 1, "an": 1,
}
_SCALE = {
    "hundred": 100, "thousand": 1_000, "k": 1_000, "million": 1_000_000, "m": 1_000_000,
    "mn": 1_000_000, "mln": 1_000_000, "billion": 1_000_000_000, "bn": 1_000_000_000,
    "b": 1_000_000_000, "trillion": 1_000_000_000_000, "tn": 1_000_000_000_000,
}
_SPACE = re.compile(r"\s+")

# Count words as a regex fragment with named groups for the facts patterns.
QUALIFIER = (r"(?P<q>at\s+least|more\s+than|over|about|around|nearly|almost|some|up\s+to|"
             r"approximately|roughly|as\s+many\s+as|an\s+estimated|fewer\s+than|less\s+than|at\s+most)")
COUNT = (r"(?P<n>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|"
         r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[-\s](?:one|two|three|four|five|six|"
         r"seven|eight|nine)\b|one|two|three|four|five|six|seven|eight|nine|ten|"
         r"eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|"
         r"thirty|forty|fifty|sixty|seventy|eighty|ninety|a\s+hundred|a\s+dozen)"
         r"(?:\s+(?P<scale>hundred|thousand|million))?")

_SYMBOL_CURRENCY = {"$": "USD", "us$": "USD", "a$": "AUD", "c$": "CAD", "nz$": "NZD", "£": "GBP",
                    "€": "EUR", "¥": "JPY"}
_WORD_CURRENCY = {"dollars": "USD", "euros": "EUR", "pounds": "GBP", "pounds sterling": "GBP",
                  "hryvnia": "UAH", "hryvnias": "UAH", "yen": "JPY", "francs": "CHF",
                  "usd": "USD", "eur": "EUR", "gbp": "GBP", "uah": "UAH", "chf": "CHF", "sek": "SEK",
                  "nok": "NOK", "dkk": "DKK", "pln": "PLN", "cad": "CAD", "aud": "AUD", "jpy": "JPY",
                  "kroner": "NOK", "kronor": "SEK", "zloty": "PLN", "zlotys": "PLN"}

# Lower-case: it runs on the lower-cased text (see rules.compile_rule).
MONEY = re.compile(first_guard(
    r"(?P<sym>(?:us|a|c|nz)?\$|£|€|¥|\b(?:usd|eur|gbp|uah|chf|sek|nok|dkk|pln|cad|aud|jpy)\s?)\s?(?P<num>\d[\d,]*(?:\.\d+)?)"
    r"\s*(?P<scale>bn|billion|b|m|mn|mln|million|k|thousand|tn|trillion)?\b"
    r"|\b(?P<num2>\d[\d,]*(?:\.\d+)?)\s*(?P<scale2>bn|billion|m|mn|mln|million|thousand|tn|trillion)?\s*"
    r"(?P<word>dollars|euros|pounds(?:\s+sterling)?|hryvnias?|yen|francs|kroner|kronor|zlotys?)\b"))


def to_int(number: str, scale: str | None = None) -> int | None:
    """'73,000' -> 73000, 'four' -> 4, ('1.5', 'million') -> 1500000; None if unreadable."""
    key = _SPACE.sub(" ", number.lower())
    tens, _, unit = key.replace("-", " ").partition(" ")
    if unit and tens in _WORDS and unit in _WORDS and _WORDS[tens] >= 20 and _WORDS[unit] < 10:
        value: float = _WORDS[tens] + _WORDS[unit]  # "ninety-five"
    elif key in _WORDS:
        value = _WORDS[key]
    else:
        try:
            value = float(key.replace(",", ""))
        except ValueError:
            return None
    if scale:
        value *= _SCALE[scale.lower()]
    return int(round(value))


def money(m: re.Match[str]) -> tuple[float, str] | None:
    """Amount and ISO currency of a ``MONEY`` match."""
    if m.group("num") is not None:
        number, scale = m.group("num"), m.group("scale")
        currency = _SYMBOL_CURRENCY.get(m.group("sym").strip().lower()) or \
            _WORD_CURRENCY.get(m.group("sym").strip().lower())
    else:
        number, scale = m.group("num2"), m.group("scale2")
        currency = _WORD_CURRENCY.get(_SPACE.sub(" ", m.group("word").lower()))
    try:
        amount = float(number.replace(",", ""))
    except ValueError:
        return None
    if scale:
        amount *= _SCALE[scale.lower()]
    return (amount, currency) if currency else None
