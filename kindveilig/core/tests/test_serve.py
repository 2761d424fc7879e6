"""`kindveilig serve` runs a real WSGI server (gunicorn) with WhiteNoise static files."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_answers_http_with_pages_and_static_files(tmp_path) -> None:
    kindveilig = str(Path(sys.executable).with_name("kindveilig"))
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env["KINDVEILIG_DATA_DIR"] = str(tmp_path)
    subprocess.run([kindveilig, "migrate", "-v", "0"], env=env, check=True)
    port = free_port()
    server = subprocess.Popen(
        [kindveilig, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
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
                login = urllib.request.urlopen(f"{base}/account/inloggen/", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.3)
        assert login.status == 200
        assert login.headers["Server"].startswith("gunicorn")
        assert "Inloggen" in login.read().decode()
        static = urllib.request.urlopen(f"{base}/static/vendor/htmx/htmx.min.js", timeout=5)
        assert static.status == 200 and b"htmx" in static.read()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
