"""The operator's tools on top of the services: the ``newsflow`` command (``cli``), the local
launcher, the local Kafka broker, the DLQ tool and the writer/checker of ``schemas/``.

Nothing below imports this package: ``core`` is the bottom layer, the services sit on it, and
the tools may use both.
"""
