"""The production-shaped stack of docker-compose.yml, started from this virtualenv.

This machine (and CI) has no Docker engine, so the compose file itself never runs. This test
runs what the Dockerfile and the compose services run instead, with the environment they give
the app: collectstatic (the image build), migrate, gunicorn, a Celery worker and Celery beat,
as separate processes against a fresh PostgreSQL database and a Redis database of their own.
It then checks over real HTTP what a deployer would notice: pages in Chinese with security
headers, hashed static files from WhiteNoise, the site's own 404 page, a bureau account made
with `create_bureau_user` that can sign in, a task that travels through the broker to the
worker and back, and beat holding the nightly sweep.

The stack needs DATABASE_URL (PostgreSQL) and REDIS_URL, as in CI's second pass; without them
those tests are skipped. It never touches pytest-django's test database nor REDIS_URL's own
Redis database, so the rest of the suite can run in the same session.
"""

import gzip
import http.cookiejar
import os
import re
import secrets
import shelve
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import environ
import psycopg
import pytest
import redis
import yaml
from celery import Celery

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # .venv/bin: gunicorn and celery sit next to python
MANAGE = [str(BIN / "python"), str(ROOT / "manage.py")]
DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("REDIS_URL", "")
STACK_REDIS_DB = 9  # REDIS_URL's server, not its database: the suite's cache lives there

START_TIMEOUT = 60  # seconds for collectstatic and migrate (about 7 s here)
ANSWER_TIMEOUT = 30  # seconds for gunicorn's first answer (about 1 s here)
TASK_TIMEOUT = 20  # seconds for a task to reach the worker and its result to come back
BEAT_UP_FOR = 3  # seconds beat must have stayed up: a broken schedule fails at once

LONG_RUNNING = {"gunicorn", "worker", "beat"}  # services; the rest are one-off commands
SWEEP_ENTRY = "sweep-orphaned-uploads"  # settings.CELERY_BEAT_SCHEDULE


def _is_postgres(url: str) -> bool:
    return bool(url) and environ.Env.db_url_config(url)["ENGINE"].endswith("postgresql")


# --- The environment of the image and of the compose services --------------------------------


def _base_environment(tmp: Path) -> dict:
    """What a container has before compose adds to it: the Dockerfile's ENV, a PATH, a home.

    The outer environment may tune the suite's settings (LOG_LEVEL, CONN_MAX_AGE…); the stack
    gets none of that. HOME is the test's own because gunicorn 27 opens a control socket in
    ~/.gunicorn: two stacks, or a developer's gunicorn, must not share it.
    """
    env = {key: os.environ[key] for key in ("PATH", "LANG", "PGSSLMODE") if key in os.environ}
    home = Path.home()
    if "PGPASSFILE" in os.environ or (home / ".pgpass").exists():
        env["PGPASSFILE"] = os.environ.get("PGPASSFILE", str(home / ".pgpass"))
    (tmp / "home").mkdir(exist_ok=True)
    env.update(HOME=str(tmp / "home"), PYTHONDONTWRITEBYTECODE="1", PYTHONUNBUFFERED="1")
    return env


def _build_environment(tmp: Path) -> dict:
    """The Dockerfile's collectstatic step: DEBUG=false and a throw-away key, nothing else (no
    database, no Redis at build time)."""
    return _base_environment(tmp) | {
        "DEBUG": "false",
        "SECRET_KEY": "collectstatic-at-build-time-only-never-used-to-sign-anything",
        "STATIC_ROOT": str(tmp / "static"),  # /app/staticfiles in the image
    }


def _compose_environment(*, tmp: Path, database_url: str, redis_url: str, port: int) -> dict:
    """docker-compose.yml's `x-app` environment with this test's database, Redis, folders and
    port, over plain HTTP as README's quick trial on localhost says."""
    return _base_environment(tmp) | {
        "DATABASE_URL": database_url,
        "DATABASE_POOL": "true",
        "REDIS_URL": redis_url,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
        "CSRF_TRUSTED_ORIGINS": f"http://localhost:{port},http://127.0.0.1:{port}",
        "BEHIND_TLS_PROXY": "true",
        "TRUSTED_PROXY_COUNT": "1",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "PRIVATE_MEDIA_ROOT": str(tmp / "private"),  # the `private` volume
        "STATIC_ROOT": str(tmp / "static"),  # where the build step collected them
    }


def test_the_stack_here_gets_every_variable_docker_compose_sets(tmp_path):
    # Runs without PostgreSQL and Redis: when compose gains a variable, this test must too.
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    env = _compose_environment(tmp=tmp_path, database_url="", redis_url="", port=8000)
    for service in ("web", "worker", "beat"):
        missing = set(compose["services"][service]["environment"]) - set(env)
        assert not missing, f"{service} is given {missing} by docker-compose.yml, not here"


# --- Processes ------------------------------------------------------------------------------


@dataclass
class Stack:
    """The running services, their logs, and where to reach them."""

    env: dict = field(repr=False)
    logs: Path
    base_url: str
    redis_url: str
    schedule: Path  # beat's schedule file
    orphan: Path  # a stored upload the sweep task must refuse to delete
    processes: dict = field(default_factory=dict, repr=False)  # name -> Popen
    started_at: dict = field(default_factory=dict, repr=False)  # name -> time.monotonic()
    halted: set = field(default_factory=set, repr=False)  # services stopped on purpose

    def start(self, name: str, command: list[str], env: dict | None = None) -> None:
        """Start a process in its own process group (so a Celery worker's pool goes with it),
        its output in a log file: a pipe nobody reads would block it once full."""
        with open(self.logs / f"{name}.log", "wb") as log:  # the child keeps its own copy
            self.processes[name] = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env or self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.started_at[name] = time.monotonic()

    def log(self, name: str) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def all_logs(self, tail: int = 60) -> str:
        parts = []
        for name in self.processes:
            lines = self.log(name).splitlines()[-tail:]
            parts.append(f"----- {name} (last {len(lines)} lines) -----\n" + "\n".join(lines))
        return "\n".join(parts)

    def assert_running(self) -> None:
        for name, process in self.processes.items():
            code = process.poll()
            if code is not None and name in LONG_RUNNING and name not in self.halted:
                raise AssertionError(f"{name} exited with {code}")

    def answers(self) -> bool:
        """Whether gunicorn answers HTTP at all; the tests judge the answers."""
        try:
            urllib.request.urlopen(self.base_url + "/accounts/login/", timeout=2).close()
        except urllib.error.HTTPError:
            return True
        except OSError:
            return False
        return True

    def wait_for(self, what: str, check, timeout: float):
        """Poll `check` until it returns something true; fail early when a service died."""
        deadline = time.monotonic() + timeout
        while True:
            self.assert_running()
            if result := check():
                return result
            if time.monotonic() > deadline:
                raise AssertionError(f"{what}: not within {timeout} s")
            time.sleep(0.1)

    def finish(self, name: str, timeout: float = START_TIMEOUT) -> None:
        """Wait for a one-off command (collectstatic, migrate) and require its success."""
        process = self.processes[name]
        self.wait_for(f"{name} to finish", lambda: process.poll() is not None, timeout)
        assert process.returncode == 0, f"{name} exited with {process.returncode}"

    def halt(self, name: str, timeout: float = 10) -> int:
        """Stop one service as compose does (SIGTERM, a warm shutdown); its exit status."""
        self.halted.add(name)
        process = self.processes[name]
        os.killpg(process.pid, signal.SIGTERM)
        return process.wait(timeout=timeout)

    def stop(self) -> None:
        """SIGTERM to every process group still up, SIGKILL to those still up 10 s later."""
        for process in self.processes.values():
            if process.poll() is None:
                with suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)

    @contextmanager
    def explained(self):
        """On failure, attach every process's log to the error: a CI failure shows why."""
        try:
            yield
        except BaseException as error:
            error.add_note(self.all_logs())
            raise


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _with_path(url: str, path: str) -> str:
    """The same server (user, password, host, port), another database."""
    return urllib.parse.urlsplit(url)._replace(path=path).geturl()


@contextmanager
def _fresh_database():
    """A PostgreSQL database of the stack's own on DATABASE_URL's server, dropped afterwards."""
    name = f"alliance_stack_{os.getpid()}"
    admin_url = _with_path(DATABASE_URL, "/postgres")
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _with_path(DATABASE_URL, f"/{name}")
    finally:
        # FORCE: a pooled connection of a process that did not exit cleanly must not keep it.
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def _own_redis_database():
    url = _with_path(REDIS_URL, f"/{STACK_REDIS_DB}")
    client = redis.Redis.from_url(url)
    client.flushdb()  # whatever an earlier, killed run left
    try:
        yield url
    finally:
        client.flushdb()
        client.close()


def _orphaned_upload(private_root: Path) -> Path:
    """A stored upload no row points to, older than the grace period. With it, the nightly
    sweep reads the database, so the task proves the worker's connection too; and since the
    fresh database references no file at all, the sweep must refuse to delete it."""
    orphan = private_root / "meetings" / "orphan.pdf"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"%PDF-1.4\n")
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(orphan, (two_days_ago, two_days_ago))
    return orphan


def _commands(*, port: int, schedule: Path) -> dict:
    """What the Dockerfile and the compose services run, from this virtualenv: gunicorn on a
    free port of localhost (not 0.0.0.0:8000) with 2 workers, one worker process, beat's
    schedule in the test's folder."""
    celery = [str(BIN / "celery"), "-A", "alliance"]
    return {
        "collectstatic": [*MANAGE, "collectstatic", "--noinput", "-v0"],  # the image build
        "migrate": [*MANAGE, "migrate", "--noinput"],  # web: `migrate && exec gunicorn …`
        "gunicorn": [
            str(BIN / "gunicorn"),
            "alliance.wsgi:application",
            *("--bind", f"127.0.0.1:{port}", "--workers", "2", "--access-logfile", "-"),
        ],
        "worker": [*celery, "worker", "--loglevel=info", "--concurrency=1"],
        "beat": [*celery, "beat", "--loglevel=info", "--schedule", str(schedule)],
    }


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    if not (_is_postgres(DATABASE_URL) and REDIS_URL):
        pytest.skip("needs DATABASE_URL=postgres://… and REDIS_URL (CI's PostgreSQL pass)")
    tmp = tmp_path_factory.mktemp("stack")
    (tmp / "logs").mkdir()
    port = _free_port()
    commands = _commands(port=port, schedule=tmp / "celerybeat-schedule")

    with _fresh_database() as database_url, _own_redis_database() as redis_url:
        stack = Stack(
            env=_compose_environment(
                tmp=tmp, database_url=database_url, redis_url=redis_url, port=port
            ),
            logs=tmp / "logs",
            base_url=f"http://127.0.0.1:{port}",
            redis_url=redis_url,
            schedule=tmp / "celerybeat-schedule",
            orphan=_orphaned_upload(tmp / "private"),
        )
        try:
            with stack.explained():
                # The image build collects static files; compose starts worker and beat once
                # web is healthy, after its migrations. Here they start while migrate runs,
                # the harder case (a stack started by hand, a bare server's units).
                stack.start("collectstatic", commands["collectstatic"], _build_environment(tmp))
                for name in ("migrate", "worker", "beat"):
                    stack.start(name, commands[name])
                stack.finish("collectstatic")
                stack.finish("migrate")
                stack.start("gunicorn", commands["gunicorn"])
                stack.wait_for("gunicorn to answer", stack.answers, ANSWER_TIMEOUT)
            yield stack
        finally:
            stack.stop()


# --- HTTP, like a browser without JavaScript ------------------------------------------------


@dataclass
class Response:
    status: int
    headers: object
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer to assert, not to follow silently


class Browser:
    """Keeps cookies (session, CSRF) and sends a form with its Origin, as a browser does."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirects()
        )

    def get(self, path: str, **headers: str) -> Response:
        return self._send(urllib.request.Request(self.base_url + path, headers=headers))

    def post(self, path: str, form: dict) -> Response:
        request = urllib.request.Request(
            self.base_url + path,
            data=urllib.parse.urlencode(form).encode(),
            headers={"Origin": self.base_url, "Referer": self.base_url + path},
        )
        return self._send(request)

    def _send(self, request) -> Response:
        try:
            with self.opener.open(request, timeout=10) as answer:
                return Response(answer.status, answer.headers, answer.read())
        except urllib.error.HTTPError as answer:
            with answer:
                return Response(answer.code, answer.headers, answer.read())


def _csrf_token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def _max_age(cache_control: str | None) -> int:
    match = re.search(r"max-age=(\d+)", cache_control or "")
    return int(match.group(1)) if match else 0


# --- What a deployer notices ----------------------------------------------------------------


def test_the_login_page_is_chinese_by_default_with_security_headers(stack):
    with stack.explained():
        page = Browser(stack.base_url).get("/accounts/login/", **{"Accept-Language": "en-US"})
        assert page.status == 200  # not a redirect to https: SECURE_SSL_REDIRECT=false
        assert '<html lang="zh-hans">' in page.text and "<h1>登录</h1>" in page.text
        csp = page.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp
        assert page.headers["X-Content-Type-Options"] == "nosniff"
        assert page.headers["X-Frame-Options"] == "DENY"

        # Through the TLS proxy compose expects (BEHIND_TLS_PROXY), browsers are told HSTS.
        proxied = Browser(stack.base_url).get("/accounts/login/", **{"X-Forwarded-Proto": "https"})
        assert "max-age=31536000" in proxied.headers["Strict-Transport-Security"]


def test_static_files_are_hashed_long_cached_and_gzipped_by_whitenoise(stack):
    with stack.explained():
        browser = Browser(stack.base_url)
        page = browser.get("/accounts/login/").text
        # DEBUG=false stores static files under a name with their content's hash.
        css = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page)
        assert css, "the login page links no hashed site.css"

        plain = browser.get(css.group(1))
        assert plain.status == 200 and plain.headers["Content-Type"].startswith("text/css")
        assert _max_age(plain.headers["Cache-Control"]) >= 365 * 24 * 3600
        assert plain.headers["Content-Security-Policy"]  # every response, static ones too

        packed = browser.get(css.group(1), **{"Accept-Encoding": "gzip"})
        assert packed.status == 200 and packed.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(packed.body) == plain.body

        # Readable by a web server's user other than the one who ran collectstatic (a bare
        # server's root, say), not the uploads' 0o640.
        manifest = Path(stack.env["STATIC_ROOT"]) / "staticfiles.json"
        assert manifest.stat().st_mode & 0o777 == 0o644


def test_an_unknown_address_gets_the_sites_own_not_found_page(stack):
    with stack.explained():
        page = Browser(stack.base_url).get("/no-such-page/")
        assert page.status == 404
        assert "<h1>未找到</h1>" in page.text and "集团化办学平台" in page.text  # the top bar
        assert "DEBUG" not in page.text and "Page not found" not in page.text


def test_the_compose_health_check_passes_against_the_running_web(stack):
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    command = compose["services"]["web"]["healthcheck"]["test"]
    assert command[:2] == ["CMD", "python"]
    port = stack.base_url.rsplit(":", 1)[1]
    probe = [str(BIN / "python"), *(part.replace(":8000/", f":{port}/") for part in command[2:])]
    with stack.explained():
        assert subprocess.run(probe, env=stack.env, timeout=20).returncode == 0
        assert Browser(stack.base_url).get("/health/").text == (
            '{"status": "ok", "checks": {"database": "ok", "cache": "ok"}}'
        )


def test_a_bureau_user_from_the_command_signs_in_and_opens_the_dashboard(stack):
    with stack.explained():
        password = secrets.token_urlsafe(16)
        # README's deploy step; --password-stdin is how a script answers the password prompt.
        made = subprocess.run(
            [*MANAGE, "create_bureau_user", "deployer", "--password-stdin"],
            cwd=ROOT,
            env=stack.env,
            input=password + "\n",
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert made.returncode == 0, made.stdout + made.stderr

        browser = Browser(stack.base_url)
        token = _csrf_token(browser.get("/accounts/login/").text)
        signed_in = browser.post(
            "/accounts/login/",
            {"username": "deployer", "password": password, "csrfmiddlewaretoken": token},
        )
        assert signed_in.status == 302, signed_in.text[:2000]
        assert signed_in.headers["Location"] == "/"

        home = browser.get("/")
        assert home.status == 200
        assert "<h1>工作台</h1>" in home.text and "deployer" in home.text
        assert "教育局" in home.text  # the bureau role, from the command's auth group
        assert browser.get("/groups/").status == 200
        assert browser.get("/admin/").status == 200  # bureau staff work in the admin


def test_a_task_sent_through_redis_runs_on_the_worker_and_its_result_returns(stack):
    with stack.explained():
        # A Celery app of the test's own on the stack's Redis database: the suite's app and
        # settings stay as they are.
        app = Celery("stack-probe", broker=stack.redis_url, backend=stack.redis_url)
        app.conf.broker_connection_timeout = 5
        try:
            result = app.send_task("alliance.tasks.uploads_sweep")
            result.get(timeout=TASK_TIMEOUT, propagate=False)
            # The worker read the database, found it references none of the stored files
            # (as a wrong DATABASE_URL would), and refused: the reason comes back as the result.
            assert result.status == "FAILURE"
            assert "references none of the stored files" in str(result.result)
        finally:
            app.close()
        assert stack.orphan.exists()


def test_beat_starts_with_the_nightly_sweep_scheduled(stack):
    with stack.explained():
        stack.wait_for("beat to start", lambda: "beat: Starting..." in stack.log("beat"), 20)
        # Beat reads its schedule as it starts; a broken entry or store would have failed it.
        stack.wait_for(
            f"beat to stay up {BEAT_UP_FOR} s",
            lambda: time.monotonic() - stack.started_at["beat"] > BEAT_UP_FOR,
            BEAT_UP_FOR + 1,
        )
        assert "Traceback" not in stack.log("beat") and "ERROR" not in stack.log("beat")

        # Stopped as compose stops it, beat closes its schedule file: the entry is in it.
        assert stack.halt("beat") == 0
        with shelve.open(str(stack.schedule), flag="r") as schedule:
            entry = schedule["entries"][SWEEP_ENTRY]
        assert entry.task == "alliance.tasks.uploads_sweep"
        assert (entry.schedule.hour, entry.schedule.minute) == ({3}, {17})
