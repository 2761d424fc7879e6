"""`kindveilig serve` runs a real WSGI server (gunicorn) with WhiteNoise static files, in the
development configuration and in the production one (behind a TLS proxy)."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

KINDVEILIG = str(Path(sys.executable).with_name("kindveilig"))
PROXY = {"X-Forwarded-Proto": "https"}  # what the TLS proxy in front of Kindveilig sends


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    skip = {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {key: value for key, value in os.environ.items() if key not in skip}
    env = {key: value for key, value in env.items() if not key.startswith("KINDVEILIG_")}
    return {**env, "KINDVEILIG_DATA_DIR": str(tmp_path), **extra}


def get(url: str, headers: dict[str, str] | None = None):
    request = urllib.request.Request(url, headers=headers or {})
    return urllib.request.urlopen(request, timeout=5)  # noqa: S310 - our own test server


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


@contextmanager
def serving(env: dict[str, str]) -> Iterator[str]:
    subprocess.run([KINDVEILIG, "migrate", "-v", "0"], env=env, check=True)
    port = free_port()
    server = subprocess.Popen(
        [KINDVEILIG, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    output = server.stdout.read().decode() if server.poll() is not None else ""
                    raise AssertionError(f"server did not start: {output[-2000:]}") from None
                time.sleep(0.3)
        yield base
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)


def test_serve_answers_http_with_pages_and_static_files(tmp_path) -> None:
    with serving(clean_env(tmp_path)) as base:
        login = get(f"{base}/account/inloggen/")
        assert login.status == 200
        assert login.headers["Server"].startswith("gunicorn")
        assert "Inloggen" in login.read().decode()
        static = get(f"{base}/static/vendor/htmx/htmx.min.js")
        assert static.status == 200 and b"htmx" in static.read()


def test_production_configuration_serves_behind_a_tls_proxy(tmp_path) -> None:
    env = clean_env(
        tmp_path,
        DJANGO_SETTINGS_MODULE="config.settings.production",
        KINDVEILIG_SECRET_KEY="production-test-" + "s" * 50,
        KINDVEILIG_AUDIT_KEY="production-audit-" + "a" * 50,
        KINDVEILIG_ALLOWED_HOSTS="127.0.0.1",
    )
    with serving(env) as base:
        login = get(f"{base}/account/inloggen/", PROXY)
        html = login.read().decode()
        assert login.status == 200 and "Inloggen" in html
        assert "max-age=31536000" in login.headers["Strict-Transport-Security"]
        assert "secure" in login.headers["Set-Cookie"].lower()
        stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
        assert len(stylesheets) == 3
        for href in stylesheets:
            assert re.search(r"\.[0-9a-f]{12}\.css$", href), href  # hashed: cacheable forever
            css = get(f"{base}{href}", PROXY)
            assert css.status == 200 and css.headers["Content-Type"].startswith("text/css")
            assert "immutable" in css.headers["Cache-Control"]
        # Plain HTTP (no proxy header) is sent to HTTPS.
        opener = urllib.request.build_opener(NoRedirect)
        try:
            opener.open(f"{base}/account/inloggen/", timeout=5)
            raise AssertionError("plain HTTP was served")
        except urllib.error.HTTPError as redirect:
            assert redirect.code == 301
            assert redirect.headers["Location"].startswith("https://")
