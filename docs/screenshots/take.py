"""Regenerate the README screenshots from a running LedgerDesk with demo data.

    .venv/bin/ledgerdesk run --port 8765 &      # a demo instance
    .venv/bin/python docs/screenshots/take.py http://127.0.0.1:8765

Uses Debian's Chromium through Playwright (no browser download).
"""

import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update"]  # fmt: skip


def main(base: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS)
        page = browser.new_page(base_url=base, viewport={"width": 1280, "height": 860})
        page.goto("/login/")
        page.fill("#id_username", "agent")
        page.fill("#id_password", "agent-demo-2026")
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/login/" not in url)
        page.screenshot(path=str(HERE / "overview.png"))
        page.goto("/desk/team/ap/")
        page.screenshot(path=str(HERE / "queue.png"))
        page.click("table a[href*='/desk/cases/']")
        page.screenshot(path=str(HERE / "case.png"), full_page=True)
        page.goto("/ledger/invoices/?status=on_hold")
        page.click("table a[href*='/ledger/invoices/']")
        page.screenshot(path=str(HERE / "invoice.png"), full_page=True)
        lead = browser.new_page(base_url=base, viewport={"width": 1280, "height": 860})
        lead.goto("/login/")
        lead.fill("#id_username", "lead")
        lead.fill("#id_password", "lead-demo-2026")
        lead.click("button[type=submit]")
        lead.wait_for_url(lambda url: "/login/" not in url)
        lead.goto("/insights/")
        lead.screenshot(path=str(HERE / "insights.png"), full_page=True)
        lead.goto("/receivables/?state=review")
        lead.click("table a[href*='/receivables/line/']")
        lead.screenshot(path=str(HERE / "cash-line.png"), full_page=True)
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
