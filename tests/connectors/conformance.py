"""The suite every connector passes: subclass it once per platform, in that platform's test
module (``tests/connectors/test_<platform>.py``); ``test_registry`` checks each registered
platform has one.

A forged, tampered, stale or replayed request is refused with 401/403 by ``handle`` and never
reaches ``parse`` (nothing is processed). What a platform's authentication cannot prove is
declared in its ``Capabilities`` and held to that too: Telegram signs nothing and sends no
timestamp (the secret token is the only proof; a re-delivery is recognised by ``update_id``),
and DingTalk's sign covers the timestamp and secret but not the body (see
test_dingtalk.test_signature_does_not_cover_the_body). What the app does about those two (each
DingTalk sign accepted once, operator commands held for approval) is tested end to end in
tests/connectors_e2e/test_forgery.py.
"""

from __future__ import annotations

import json
from typing import ClassVar

import pytest

from connectors import Capabilities, Connector, ConnectorError, InboundMessage, VerificationError
from connectors.registry import connector_classes
from tests.connectors import helpers as h

NOW = 1_700_000_000
TEN_YEARS = 10 * 365 * 86400


def tamper(req: h.Req) -> h.Req:
    """Flip one byte inside the signed content (the ciphertext for encrypted platforms)."""
    if req.body.startswith(b'{"encrypt"'):
        outer = json.loads(req.body)
        raw = outer["encrypt"]
        outer["encrypt"] = raw[:20] + ("A" if raw[20] != "A" else "B") + raw[21:]
        return h.Req(h.dumps(outer), req.headers, req.query)
    i = req.body.index(b":") + 2
    body = req.body[:i] + bytes([req.body[i] ^ 1]) + req.body[i + 1 :]
    return h.Req(body, req.headers, req.query)


def refused(conn: Connector, req: h.Req, now: float) -> VerificationError:
    def must_not_parse(*args: object) -> None:
        raise AssertionError("parse() ran on a rejected request")

    conn.parse = must_not_parse  # type: ignore[method-assign,assignment]
    with pytest.raises(VerificationError) as err:
        conn.handle(req.headers, req.body, req.query, now=now)
    assert err.value.status in (401, 403)
    response = err.value.response()
    assert response.status_code == err.value.status and "error" in json.loads(response.body)
    return err.value


class ConnectorConformance:
    """Verification and payload-shape rules, the same for every platform."""

    platform: ClassVar[str]
    payload: ClassVar[bytes]  # an authentic message event, before signing
    odd_shape: ClassVar[bytes]  # authentic JSON with a field of an unexpected type

    def make(self) -> Connector:
        raise NotImplementedError

    def sign(self, payload: bytes, ts: int, right_secret: bool = True) -> h.Req:
        """The request the platform would send for ``payload`` at ``ts`` (else a forgery)."""
        raise NotImplementedError

    @property
    def capabilities(self) -> Capabilities:
        return connector_classes()[self.platform].capabilities

    def test_is_the_registered_connector(self) -> None:
        assert type(self.make()) is connector_classes()[self.platform]

    def test_valid_request_is_accepted(self) -> None:
        req = self.sign(self.payload, NOW)
        result, response = self.make().handle(req.headers, req.body, req.query, now=NOW)
        assert isinstance(result, InboundMessage) and result.platform == self.platform
        assert response.status_code == 200

    def test_wrong_secret_is_refused(self) -> None:
        refused(self.make(), self.sign(self.payload, NOW, right_secret=False), NOW)

    def test_tampered_body_is_refused_when_the_platform_signs_it(self) -> None:
        req = tamper(self.sign(self.payload, NOW))
        if self.capabilities.signs_body:
            refused(self.make(), req, NOW)
        else:  # as declared: verification cannot notice; parsing may still find it malformed
            try:
                self.make().handle(req.headers, req.body, req.query, now=NOW)
            except VerificationError:
                pytest.fail("the body is declared unsigned, yet tampering was detected")
            except ConnectorError as err:
                assert err.status == 400

    def test_stale_timestamp_is_refused_outside_the_replay_window(self) -> None:
        window = self.capabilities.replay_window_s
        if window is None:  # as declared: no timestamp, so an old capture still verifies
            old = self.sign(self.payload, NOW - TEN_YEARS)
            msg, _ = self.make().handle(old.headers, old.body, old.query, now=NOW)
            assert isinstance(msg, InboundMessage)
            return
        error = refused(self.make(), self.sign(self.payload, NOW - window - 1), NOW)
        assert "stale" in error.message
        recent = self.sign(self.payload, NOW - window + 5)
        msg, _ = self.make().handle(recent.headers, recent.body, recent.query, now=NOW)
        assert isinstance(msg, InboundMessage)

    def test_capture_replayed_after_the_window_is_refused(self) -> None:
        window = self.capabilities.replay_window_s
        captured = self.sign(self.payload, NOW)
        first, _ = self.make().handle(captured.headers, captured.body, captured.query, now=NOW)
        assert isinstance(first, InboundMessage)
        if window is not None:
            refused(self.make(), captured, NOW + window + 1)

    def test_replay_within_window_keeps_event_id_for_dedupe(self) -> None:
        captured = self.sign(self.payload, NOW)
        ids = set()
        for later in (0, 30):
            msg, _ = self.make().handle(
                captured.headers, captured.body, captured.query, now=NOW + later
            )
            assert isinstance(msg, InboundMessage) and msg.event_id
            ids.add(msg.event_id)
        assert len(ids) == 1

    def test_garbage_is_refused_without_a_500(self) -> None:
        req = self.sign(b"\x00not json\xff", NOW)
        with pytest.raises(ConnectorError) as err:
            self.make().handle(req.headers, req.body, req.query, now=NOW)
        assert 400 <= err.value.status < 500

    def test_authentic_but_oddly_shaped_payload_is_a_400(self) -> None:
        req = self.sign(self.odd_shape, NOW)
        with pytest.raises(ConnectorError) as err:
            self.make().handle(req.headers, req.body, req.query, now=NOW)
        assert err.value.status == 400
