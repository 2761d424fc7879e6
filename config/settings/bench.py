"""Benchmarks (bench/): the development settings without debug, plus the bare yardstick views.
Never for a real deployment."""

from config.settings.development import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "bench.urls"
# The in-process measurement uses Django's test client (host "testserver").
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]  # noqa: F405
