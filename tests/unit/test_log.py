"""What the console log writes of text a client chose."""

from __future__ import annotations

from efa_registry.log import escape_controls


def test_control_characters_from_a_request_are_written_escaped_and_tracebacks_keep_their_lines():
    event = {"event": "http.request", "path": "/v1/solutions/\x1b[31mrot\x00", "name": "München",
             "exception": "Traceback\n  line 1"}
    escaped = escape_controls(None, "info", dict(event))
    assert escaped["path"] == "/v1/solutions/\\x1b[31mrot\\x00"
    assert escaped["name"] == "München" and escaped["exception"] == event["exception"]
