"""The site's stylesheet, read by the tests that check a layout rule is there: which rule a
page needs at which width is the test's; finding the rule is this module's."""

import re
from pathlib import Path

from django.conf import settings

SITE_CSS = (Path(settings.BASE_DIR) / "static" / "css" / "site.css").read_text()


def declarations(css: str, selector: str) -> str:
    """What a rule for exactly this selector declares in `css` ("" if there is none)."""
    found = re.findall(rf"(?:^|[}}\n])\s*{re.escape(selector)}\s*\{{([^}}]*)\}}", css)
    return " ".join(found)


def rule(selector: str) -> str:
    """What site.css declares for exactly this selector, outside @media blocks too."""
    return declarations(SITE_CSS, selector)


def media(query: str) -> str:
    """The rules of every `@media <query>` block of site.css, one after the other."""
    blocks, start = [], SITE_CSS.find(f"@media {query} {{")
    while start != -1:
        depth = 0
        for end in range(SITE_CSS.index("{", start), len(SITE_CSS)):
            depth += {"{": 1, "}": -1}.get(SITE_CSS[end], 0)
            if depth == 0:
                break
        blocks.append(SITE_CSS[SITE_CSS.index("{", start) + 1 : end])
        start = SITE_CSS.find(f"@media {query} {{", end)
    return "\n".join(blocks)
