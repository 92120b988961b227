"""Delivery channels of the notify service: one protocol, one adapter per channel."""

from __future__ import annotations

from services.notify.channels.base import Notifier, Secrets, SendResult

__all__ = ["Notifier", "Secrets", "SendResult"]
