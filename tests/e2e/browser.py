"""What the journeys share: the browser's location and flags, screen sizes, screenshots, log-ins.

The browser is Debian's Chromium (scripts/install-browser.sh), driven by Playwright; Playwright's
own browser download is not used.
"""

import json
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM = Path(os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"  # git-ignored
DOCS_SCREENSHOTS = ROOT / "docs" / "screenshots"

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1440, "height": 900}
SIZES = {"phone": PHONE, "desktop": DESKTOP}


def shoot(page, name: str) -> list[Path]:
    """Save the whole page at phone and desktop width: test-artifacts/<name>-phone.png, ...

    The viewport is put back afterwards, so a journey can go on where it was.
    """
    ARTIFACTS.mkdir(exist_ok=True)
    original = page.viewport_size
    paths = []
    for label, size in SIZES.items():
        page.set_viewport_size(size)
        path = ARTIFACTS / f"{name}-{label}.png"
        page.screenshot(path=path, full_page=True)
        paths.append(path)
    if original:
        page.set_viewport_size(original)
    return paths


def horizontal_overflow(page, width: int = PHONE["width"]) -> int:
    """How many CSS pixels the page is wider than a phone screen (0: it fits)."""
    original = page.viewport_size
    page.set_viewport_size({**PHONE, "width": width})
    overflow = page.evaluate("document.documentElement.scrollWidth") - width
    if original:
        page.set_viewport_size(original)
    return max(overflow, 0)


# Chromium logs every CSP refusal to the console ("… violates the following Content Security
# Policy directive …"); the listener adds one line per `securitypolicyviolation` event, with
# the directive and what was blocked, in case a browser's own wording changes.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  console.error(`Content Security Policy violation: ${event.effectiveDirective} refused `
    + `${event.blockedURI || "inline"} on ${event.documentURI} (${where})`);
});
"""

# axe-core (assert_accessible) is evaluated in the page under this same-origin name, which the
# site does not serve: the browser then names it as the source of what it does. Loading the
# page's CSS before its run, axe copies a stylesheet's @import (the Django admin's forms.css
# has one) into a <style> it adds to the page, which the policy refuses. That refusal is the
# test's own doing, not the site's, and is not counted. axe then runs without what it preloads
# (the CSS and media), which only no-autoplay-audio needs of the rules run here: it does not
# apply to pages without <audio> or <video>, like the admin's.
AXE_SOURCE = "/e2e-tests/axe.min.js"


def from_axe(message) -> bool:
    """Whether a console message is about what the injected axe-core script did."""
    where = urlsplit(message.location.get("url", "")).path
    said = re.search(rf"\((\w+://[^/]+)?{AXE_SOURCE}:\d+\)$", message.text)
    return where == AXE_SOURCE or said is not None


def watch_csp(context, violations: list[str]) -> None:
    """Append every Content-Security-Policy violation on the context's pages to `violations`,
    except those of the test's own axe-core script."""

    def on_console(message) -> None:
        if "Content Security Policy" in message.text and not from_axe(message):
            violations.append(f"{message.page.url if message.page else '?'}: {message.text}")

    context.add_init_script(CSP_LISTENER)
    context.on("console", on_console)


def log_in(page, *, username: str, password: str, path: str = "/accounts/login/") -> None:
    """Fill in a login form (the site's or the admin's) and submit it, as a person would."""
    page.goto(path)
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("#login-form [type=submit], form.form [type=submit]").first.click()
    page.wait_for_load_state()


# Accessibility: axe-core (bundled in axe-playwright-python, nothing fetched at run time) with
# the WCAG 2.0 and 2.1 level A and AA rules. A journey fails on what keeps someone from using
# the page ("serious", "critical"); every result, "moderate" and "minor" ones and what axe could
# not decide ("incomplete") too, is kept in test-artifacts/<name>-<size>.axe.json beside the
# screenshots.
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")

# What Django's own admin templates and CSS (django/contrib/admin) do, which the project does
# not write: rule -> (where on the page, why). Only a violation inside `where` is let through;
# the same rule anywhere else on an admin page still fails.
DJANGO_ADMIN = {
    "link-in-text-block": (
        ".breadcrumbs",
        "admin/base.html's breadcrumbs: white links beside light blue text and separators, "
        "told apart by colour alone (--breadcrumbs-link-fg, --breadcrumbs-fg in base.css)",
    ),
}

INSIDE = "([target, where]) => Boolean(document.querySelector(target)?.closest(where))"


def axe_run(page, name: str) -> dict:
    """Run axe on the page as it is; save the full result as <name>.axe.json and return it."""
    from axe_playwright_python.base import AXE_SCRIPT
    from axe_playwright_python.sync_playwright import Axe

    origin = "{0.scheme}://{0.netloc}".format(urlsplit(page.url))
    axe = Axe(axe_script=f"{AXE_SCRIPT}\n//# sourceURL={origin}{AXE_SOURCE}\n")
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}}).response
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"{name}.axe.json").write_text(json.dumps(results, ensure_ascii=False, indent=1))
    return results


def blocking(page, violation: dict, accept: dict[str, tuple[str, str]]) -> list[str]:
    """The target selectors of a violation's nodes that fail the test."""
    if violation["impact"] not in BLOCKING:
        return []
    targets = [node["target"] for node in violation["nodes"]]
    if violation["id"] in accept:
        where = accept[violation["id"]][0]
        # A target in a frame or shadow root is a list of several selectors: never accepted.
        targets = [t for t in targets if len(t) > 1 or not page.evaluate(INSIDE, [t[0], where])]
    return [" ".join(map(str, target)) for target in targets]


def assert_accessible(page, name: str, *, accept: dict[str, tuple[str, str]] | None = None) -> None:
    """Fail on any serious or critical WCAG 2.1 A/AA violation at phone or desktop width (like
    shoot()), listing rule, impact, help and the first targets of each.

    `accept` lets through a rule inside part of the page (DJANGO_ADMIN). The viewport is put
    back afterwards.
    """
    original = page.viewport_size
    found = []
    for label, size in SIZES.items():
        page.set_viewport_size(size)
        for violation in axe_run(page, f"{name}-{label}")["violations"]:
            if targets := blocking(page, violation, accept or {}):
                more = f" (+{len(targets) - 3} more)" if len(targets) > 3 else ""
                found.append(
                    f"{label}: {violation['id']} [{violation['impact']}] {violation['help']}: "
                    f"{', '.join(targets[:3])}{more}"
                )
    if original:
        page.set_viewport_size(original)
    assert not found, f"accessibility violations on {page.url}:\n" + "\n".join(found)
