"""The demo's local stand-ins for the outside world.

``site``: sample live blogs that grow while you watch (four publishing forms, rendered
from the structured entries in ``data/``); ``receiver``: a webhook receiver that checks
signatures; ``mailbox``: an SMTP mailbox. ``catalog`` lists the blogs as ingest sources.
``parts`` puts them together for ``frontwire run --demo``; ``inbox`` is how it shows
(and keeps) each mail. Nothing here is used by the services themselves.
"""
