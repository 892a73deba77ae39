"""The SSRF guard: which addresses and URLs a webhook may target."""

from __future__ import annotations

import ipaddress

import pytest

from efa_registry.webhooks import ssrf

ADDRESSES = [
    # address, refused because (None: public, allowed)
    ("93.184.216.34", None),
    ("2606:4700:4700::1111", None),
    ("127.0.0.1", "loopback"),
    ("127.8.9.10", "loopback"),
    ("::1", "loopback"),
    ("10.1.2.3", "private"),
    ("172.16.0.1", "private"),
    ("172.31.255.254", "private"),
    ("192.168.178.1", "private"),
    ("169.254.169.254", "link-local"),       # cloud metadata endpoint
    ("fe80::1", "link-local"),
    ("100.64.0.1", "not globally routable"),  # carrier-grade NAT
    ("100.127.255.254", "not globally routable"),
    ("0.0.0.0", "unspecified"),
    ("::", "unspecified"),
    ("224.0.0.1", "multicast"),
    ("239.255.255.250", "multicast"),
    ("ff02::1", "multicast"),
    ("240.0.0.1", "reserved"),
    ("255.255.255.255", "reserved"),
    ("192.0.2.10", "private"),               # documentation range
    ("198.18.0.1", "private"),               # benchmarking range
    ("fd12:3456::1", "private"),             # unique local
    ("fec0::1", "site-local"),
    ("::ffff:127.0.0.1", "loopback via embedded 127.0.0.1"),
    ("::ffff:10.0.0.1", "private via embedded 10.0.0.1"),
    ("::ffff:93.184.216.34", None),
    ("64:ff9b::a9fe:a9fe", "link-local via embedded 169.254.169.254"),
    ("2002:7f00:1::1", "loopback via embedded 127.0.0.1"),
]


@pytest.mark.parametrize(("address", "reason"), ADDRESSES)
def test_address_classification(address, reason):
    assert ssrf.refusal(ipaddress.ip_address(address)) == reason


def dns(answer: dict[str, list[str]]):
    async def resolve(host: str, port: int) -> list[str]:
        if host not in answer:
            raise OSError("no such host")
        return answer[host]

    return resolve


@pytest.mark.parametrize(("url", "refused"), [
    ("https://hooks.example.org/efa", None),
    ("https://hooks.example.org:8443/efa?x=1", None),
    ("http://hooks.example.org/efa", "https"),
    ("ftp://hooks.example.org/efa", "http(s)"),
    ("https://user:pw@hooks.example.org/efa", "credentials"),
    ("https://internal.example.org/efa", "10.0.0.7 (private)"),
    ("https://mixed.example.org/efa", "127.0.0.1 (loopback)"),
    ("https://nowhere.example.org/efa", "does not resolve"),
    ("https://127.0.0.1/efa", "loopback"),
    ("https://[::1]:8443/efa", "loopback"),
    ("https://169.254.169.254/latest/meta-data", "link-local"),
])
async def test_url_check_with_the_guard_on(monkeypatch, url, refused):
    monkeypatch.setattr(ssrf, "resolve", dns({
        "hooks.example.org": ["93.184.216.34"], "internal.example.org": ["10.0.0.7"],
        "mixed.example.org": ["93.184.216.34", "127.0.0.1"]}))
    if refused is None:
        target = await ssrf.check_url(url, allow_private=False)
        assert target.address == "93.184.216.34" and target.host == "hooks.example.org"
        return
    with pytest.raises(ssrf.RefusedTarget) as caught:
        await ssrf.check_url(url, allow_private=False)
    assert caught.value.field == "url" and refused in caught.value.detail


async def test_allowing_private_targets_skips_the_address_check_but_not_the_scheme(monkeypatch):
    monkeypatch.setattr(ssrf, "resolve", dns({}))
    target = await ssrf.check_url("http://127.0.0.1:8080/hook", allow_private=True)
    assert target.address is None, "no pinning: the host is connected to as given"
    with pytest.raises(ssrf.RefusedTarget):
        await ssrf.check_url("file:///etc/passwd", allow_private=True)
