"""A corpus whose every field carries markup that must never become live in a report page.

Each payload, if it ever ran, would leave a trace the browser test looks for: it sets
``document.title`` to ``PWNED`` or adds an element with id ``pwned``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

TITLE_PAYLOAD = "<script>document.title='PWNED'</script>"
IMG_PAYLOAD = "<img src=x id=pwned onerror=\"document.title='PWNED'\">"
SVG_PAYLOAD = "<svg id=pwned onload=\"document.title='PWNED'\"></svg>"
LINK_PAYLOAD = "[click me](javascript:document.title='PWNED')"
ANCHOR_PAYLOAD = "<a id=pwned href=\"javascript:document.title='PWNED'\">x</a>"
STYLE_PAYLOAD = "<style>body{display:none}</style>"
TEXT_COLUMN = "<b id=pwned onmouseover=alert(1)>story</b>"
FILE_NAME = "<img src=x onerror=alert(1)>.txt"

#: Visible fragments that must reach the page as text (escaped, not dropped silently).
PAYLOADS = [TITLE_PAYLOAD, IMG_PAYLOAD, SVG_PAYLOAD, ANCHOR_PAYLOAD, STYLE_PAYLOAD]


def write_hostile_corpus(folder: Path) -> Path:
    """Write the hostile corpus into ``folder`` (a table and a text file) and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = [
        {
            "id": f"doc{IMG_PAYLOAD}",
            "headline": f"India and France {TITLE_PAYLOAD}",
            "published": "2025-01-21",
            TEXT_COLUMN: (
                "India and France held their strategic dialogue in Paris on 21 January 2025. "
                f"{IMG_PAYLOAD} Foreign Secretary Vikram Misri met Ms. Alice Rufo, Director "
                f"General, on defence and maritime security. {LINK_PAYLOAD} {STYLE_PAYLOAD}"
            ),
        },
        {
            "id": f"doc{SVG_PAYLOAD}",
            "headline": "India–France talks **bold** | pipe",
            "published": "2025-01-22",
            TEXT_COLUMN: (
                "India and France reviewed defence cooperation in Paris on 22 January 2025. "
                f"{ANCHOR_PAYLOAD} Ms. Alice Rufo, Director General, spoke on space. "
                f"{TITLE_PAYLOAD}"
            ),
        },
        {
            "id": "doc<!-- comment --><iframe src=javascript:alert(1)>",
            "headline": "Vietnam and France",
            "published": "2024-03-02",
            TEXT_COLUMN: (
                "Vietnam and France held a defence dialogue in Hanoi on 2 March 2024. "
                f"Ms. Alice Rufo, Director General, led the French side. {SVG_PAYLOAD}"
            ),
        },
    ]
    pd.DataFrame(rows).to_csv(folder / "news.csv", index=False)
    (folder / FILE_NAME).write_text(
        "Pakistan and France met in Islamabad on 10 February 2023 to discuss counterterrorism. "
        f"{TITLE_PAYLOAD} {IMG_PAYLOAD}",
        encoding="utf-8",
    )
    return folder
