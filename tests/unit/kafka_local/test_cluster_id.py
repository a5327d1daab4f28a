"""Cluster ids for a newly formatted local broker."""

from __future__ import annotations

import base64
import uuid

import pytest

from floodcast.kafka_local import broker


def test_cluster_id_is_22_url_safe_characters_of_16_bytes() -> None:
    """The id decodes back to 16 bytes, as Kafka's storage tool expects."""
    cluster_id = broker.new_cluster_id()
    assert len(cluster_id) == 22
    assert len(base64.urlsafe_b64decode(cluster_id + "==")) == 16


def test_an_id_starting_with_a_dash_is_drawn_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """``-…`` would be read as an option by the storage tool, so it is never returned."""
    dash_first = uuid.UUID(bytes=b"\xf8" + bytes(15))  # base64 of 0b111110… is "-"
    plain = uuid.UUID(bytes=b"\x01" * 16)
    drawn = iter([dash_first, plain])
    monkeypatch.setattr(broker.uuid, "uuid4", lambda: next(drawn))
    assert base64.urlsafe_b64encode(dash_first.bytes).startswith(b"-")
    assert broker.new_cluster_id() == base64.urlsafe_b64encode(plain.bytes).rstrip(b"=").decode()
