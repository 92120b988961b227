"""The plumbing every service stands on: settings, the SQL store and its migrations, Kafka
and faust wiring, dead letters, lag, metrics endpoint, logs, time helpers.

It sits beneath ``services/ingest``, ``classify``, ``notify`` and ``api``, above ``schemas/``
only: nothing here imports a service or the ``frontwire`` command (``tests/unit/test_layers.py``).
"""
