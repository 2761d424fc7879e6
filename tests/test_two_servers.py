"""The web tier is stateless: two `kindveilig serve` processes on different ports against one
PostgreSQL database serve the same users. A session made on one is valid on the other (and
ends on both at logout), and the audit chains written by both verify.

Runs when DATABASE_URL points to PostgreSQL (as in CI), on a database of its own."""

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from contextlib import ExitStack, contextmanager
from pathlib import Path

import psycopg
import pytest
from django.db import connection

pytestmark = pytest.mark.postgres
KINDVEILIG = str(Path(sys.executable).with_name("kindveilig"))


@pytest.fixture
def shared_database(db, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("two servers share a PostgreSQL database (run with DATABASE_URL)")
    settings = connection.settings_dict
    server = (
        f"postgres://{settings['USER'] or 'postgres'}@{settings['HOST'] or '127.0.0.1'}"
        f":{settings['PORT'] or 5432}"
    )
    name = f"kv_two_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KINDVEILIG_", "DJANGO_"))}
    env.update(
        DATABASE_URL=f"{server}/{name}",
        KINDVEILIG_DATA_DIR=str(tmp_path),
        KINDVEILIG_SECRET_KEY="two-servers-" + "s" * 50,
        KINDVEILIG_AUDIT_KEY="two-servers-audit-" + "a" * 50,
    )
    for command in (["migrate", "-v", "0"], ["demo"]):
        subprocess.run([KINDVEILIG, *command], env=env, check=True, capture_output=True)
    yield env
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serving(env):
    port = free_port()
    server = subprocess.Popen(
        [KINDVEILIG, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        for _ in range(150):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


class Browser:
    """A cookie-keeping HTTP client that can move its cookies to another server."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, url: str) -> tuple[int, str]:
        try:
            response = self.opener.open(url, timeout=10)
            return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def post(self, url: str, data: dict[str, str]) -> tuple[int, str]:
        _status, page = self.get(url)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        cookie = next((c.value for c in self.jar if c.name == "csrftoken"), "")
        fields = {**data, "csrfmiddlewaretoken": token[1] if token else cookie}
        request = urllib.request.Request(url, data=urllib.parse.urlencode(fields).encode())
        try:
            response = self.opener.open(request, timeout=10)
            return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def session_cookie(self) -> str:
        return next(cookie.value for cookie in self.jar if cookie.name == "sessionid")


def demo_code(env, username: str) -> str:
    time.sleep(30.5 - time.time() % 30)  # a fresh code (each is accepted once)
    done = subprocess.run(
        [KINDVEILIG, "democode", username], env=env, check=True, capture_output=True, text=True
    )
    return done.stdout.strip()


def test_a_session_and_the_audit_chains_hold_across_two_servers(shared_database) -> None:
    env = shared_database
    with ExitStack() as stack:
        first, second = (stack.enter_context(serving(env)) for _ in range(2))
        browser = Browser()
        browser.post(
            f"{first}/account/inloggen/",
            {"username": "regievoerder", "password": "Kindveilig-demo-2026"},
        )
        status, page = browser.post(
            f"{first}/account/inloggen/code/", {"code": demo_code(env, "regievoerder")}
        )
        assert status == 200 and "familie Demo" in page  # "Mijn dossiers" on the first server

        other = Browser()  # the same session cookie, on the other server
        cookie = http.cookiejar.Cookie(
            0,
            "sessionid",
            browser.session_cookie(),
            None,
            False,
            "127.0.0.1",
            False,
            False,
            "/",
            True,
            False,
            None,
            True,
            None,
            None,
            {},
        )
        other.jar.set_cookie(cookie)
        status, page = other.get(f"{second}/dossiers/1/")
        assert status == 200 and "Sanne" in page
        assert browser.get(f"{first}/dossiers/1/")[0] == 200

        status, _page = other.post(f"{second}/account/uitloggen/", {})
        assert status == 200, status
        status, page = browser.get(f"{first}/dossiers/1/")
        assert "Inloggen" in page  # logged out on both

    verify = subprocess.run(
        [KINDVEILIG, "audit", "verify"], env=env, capture_output=True, text=True
    )
    assert verify.returncode == 0 and verify.stdout.startswith("OK "), verify.stderr
