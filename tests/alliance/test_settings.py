"""12-factor settings: the same code on SQLite with eager Celery, or PostgreSQL with Redis."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

from alliance.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "d = s.DATABASES['default']; print(json.dumps({'engine': d['ENGINE'], 'name': d['NAME'], "
    "'debug': s.DEBUG, 'hosts': s.ALLOWED_HOSTS, 'secret': s.SECRET_KEY, "
    "'eager': s.CELERY_TASK_ALWAYS_EAGER, 'broker': s.CELERY_BROKER_URL, "
    "'cache': s.CACHES['default']['BACKEND']}))"
)


def settings_under(**env) -> dict:
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    clean.update(env, DJANGO_SETTINGS_MODULE="alliance.settings")
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=clean, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_without_environment_it_runs_on_sqlite_with_eager_celery():
    seen = settings_under()
    assert seen["engine"] == "django.db.backends.sqlite3"
    assert seen["eager"] is True
    assert seen["debug"] is True


def test_the_environment_selects_postgresql_redis_and_production_values():
    seen = settings_under(
        DATABASE_URL="postgres://app:pw@db.internal:5432/groups",
        REDIS_URL="redis://cache.internal:6379/0",
        DEBUG="false",
        SECRET_KEY="s" * 50,
        ALLOWED_HOSTS="groups.example.gov.cn,localhost",
    )
    assert (seen["engine"], seen["name"]) == ("django.db.backends.postgresql", "groups")
    assert seen["eager"] is False
    assert seen["broker"] == "redis://cache.internal:6379/0"
    assert seen["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert seen["debug"] is False
    assert seen["hosts"] == ["groups.example.gov.cn", "localhost"]
    assert seen["secret"] == "s" * 50


@pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL not set")
def test_the_configured_redis_serves_the_cache_and_the_celery_broker():
    cache.set("probe", "青溪", timeout=5)
    assert cache.get("probe") == "青溪"
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1)
        assert conn.connected


def test_the_example_settings_file_lists_every_variable_the_settings_read():
    """docs/deploy/env.example is the deployer's list: a setting missing there is unknown."""
    source = (ROOT / "alliance" / "settings.py").read_text()
    read = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z0-9_]+)"', source))
    example = (ROOT / "docs" / "deploy" / "env.example").read_text()
    listed = set(re.findall(r"^(?:# ?)?([A-Z0-9_]+)=", example, re.M))
    assert len(read) > 30  # the pattern still finds the settings' reads
    assert read - listed == set()


def test_an_orphan_share_that_is_no_share_stops_the_start():
    """UPLOAD_ORPHAN_MAX_SHARE=50 (meant as per cent) would turn the sweep's safety stop off."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "alliance.settings"}
    env["UPLOAD_ORPHAN_MAX_SHARE"] = "50"
    out = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert out.returncode != 0 and "UPLOAD_ORPHAN_MAX_SHARE is a share" in out.stderr
