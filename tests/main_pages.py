"""The menu's pages that take no id, which every main-page check opens (in-process in
tests/web/pages/test_a11y_pages.py, in Chromium with axe in tests/browser/test_accessibility.py)."""

from __future__ import annotations

MENU_PAGES = (
    "/supervision",
    "/rectifications",
    "/evaluation",
    "/compare",
    "/search?q=学前",
    "/admin",
    "/account",
)
