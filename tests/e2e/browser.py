"""What the journeys share: the browser's location and flags, screen sizes, screenshots, log-ins.

The browser is Debian's Chromium (scripts/install-browser.sh), driven by Playwright; Playwright's
own browser download is not used.
"""

import os
from pathlib import Path

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


def watch_csp(context, violations: list[str]) -> None:
    """Append every Content-Security-Policy violation on the context's pages to `violations`."""

    def on_console(message) -> None:
        if "Content Security Policy" in message.text:
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
