"""Who the client is behind trusted proxies (kit.clients), as the rate limits count it."""

from __future__ import annotations

from flask import Flask

from kit.clients import client_address, client_key, forwarding_headers
from kit.settings import DEFAULT_TRUSTED_PROXIES, parse_networks

LOOPBACK = parse_networks("TRUSTED_PROXIES", DEFAULT_TRUSTED_PROXIES)


def environ(peer: str, forwarded: str | None = None) -> dict:
    env = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        env["HTTP_X_FORWARDED_FOR"] = forwarded
    return env


def test_a_direct_client_is_its_connection():
    assert client_address(environ("203.0.113.7"), LOOPBACK) == "203.0.113.7"


def test_what_an_outside_client_writes_is_ignored():
    spoofed = environ("203.0.113.7", "10.0.0.1, 10.0.0.2")
    assert client_address(spoofed, LOOPBACK) == "203.0.113.7"


def test_behind_trusted_proxies_the_first_untrusted_address_from_the_right():
    # browser -> nginx -> dashboard -> nginx -> API, all proxies on this machine
    chain = environ("127.0.0.1", "1.2.3.4, 198.51.100.20, 127.0.0.1, 127.0.0.1")
    assert client_address(chain, LOOPBACK) == "198.51.100.20"


def test_everything_trusted_is_the_first_of_the_chain():
    assert client_address(environ("127.0.0.1"), LOOPBACK) == "127.0.0.1"
    assert client_address(environ("127.0.0.1", "::1"), LOOPBACK) == "::1"


def test_a_configured_proxy_is_trusted_too():
    trusted = parse_networks("TRUSTED_PROXIES", "127.0.0.0/8, 192.0.2.10")
    assert client_address(environ("192.0.2.10", "198.51.100.3"), trusted) == "198.51.100.3"
    assert client_address(environ("192.0.2.11", "198.51.100.3"), trusted) == "192.0.2.11"


def test_the_connection_before_proxy_fix_rewrote_it():
    env = environ("198.51.100.3")  # what ProxyFix made of the header
    env["werkzeug.proxy_fix.orig"] = {"REMOTE_ADDR": "203.0.113.7"}
    env["HTTP_X_FORWARDED_FOR"] = "198.51.100.3"
    assert client_address(env, LOOPBACK) == "203.0.113.7"


def test_keys():
    assert client_key("10.0.0.1") == "10.0.0.1"
    assert client_key("2001:db8:1:2:aaaa::1") == "2001:db8:1:2::/64"
    assert client_key("::ffff:10.0.0.1") == "10.0.0.1"
    assert client_key("x" * 100) == "x" * 64


def test_forwarding_headers_name_the_chain_of_the_request_served():
    app = Flask(__name__)
    assert forwarding_headers() == {}
    with app.test_request_context(
        "/", headers={"X-Forwarded-For": "198.51.100.3"}, environ_base={"REMOTE_ADDR": "127.0.0.1"}
    ):
        assert forwarding_headers() == {"X-Forwarded-For": "198.51.100.3, 127.0.0.1"}
