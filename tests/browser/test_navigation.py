"""The console's main nav in a real browser: one row on a laptop, menus that open and close."""

import pytest

from tests.browser.conftest import sign_in as _sign_in

pytestmark = pytest.mark.django_db(transaction=True)

NAV = "nav[aria-label=Main]"


def sign_in(page, username):
    # Then the console page must have drawn its nav before we measure it.
    _sign_in(page, username)
    page.locator(NAV).wait_for()


def _menu(page, title):
    return page.locator(f"{NAV} details.navmenu", has=page.locator(f"summary:text-is('{title}')"))


def test_the_nav_fits_one_row_at_1280(page, admin_user):
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, "admin")
    items = page.locator(f"{NAV} > a, {NAV} > details > summary")
    assert items.count() == 7  # Overview, Cases and five menus: an admin sees them all
    first, last = items.first.bounding_box(), items.last.bounding_box()
    assert first["y"] == last["y"]
    assert page.locator("header.topbar").bounding_box()["height"] < 60
    page.screenshot(path="/tmp/nav-1280.png")

    _menu(page, "Ledger").locator("summary").click()
    page.screenshot(path="/tmp/nav-1280-open.png")


def test_the_nav_is_usable_at_1024(page, admin_user):
    page.set_viewport_size({"width": 1024, "height": 700})
    sign_in(page, "admin")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1024
    items = page.locator(f"{NAV} > a, {NAV} > details > summary")
    assert items.first.bounding_box()["y"] == items.last.bounding_box()["y"]
    admin = _menu(page, "Admin")
    admin.locator("summary").click()
    site = admin.get_by_role("link", name="Admin site")
    assert site.is_visible()
    box = site.bounding_box()
    assert box["x"] + box["width"] <= 1024  # the right-most menu stays on the screen
    page.screenshot(path="/tmp/nav-1024.png")


def test_receivables_opens_to_cash_and_leads_to_the_cash_queue(page, agent):
    sign_in(page, "agent")
    receivables = _menu(page, "Receivables")
    cash = receivables.get_by_role("link", name="Cash")
    assert not cash.is_visible()
    receivables.locator("summary").click()
    assert cash.is_visible()
    cash.click()
    page.wait_for_url("**/receivables/")
    # The page is marked in its menu, and the menu's button shows the section.
    assert page.locator(f"{NAV} a[aria-current=page]").text_content() == "Cash"
    assert "is-current" in _menu(page, "Receivables").locator("summary").get_attribute("class")
    page.screenshot(path="/tmp/nav-1280-current.png")


def test_escape_closes_the_open_menu_and_returns_to_its_button(page, agent):
    sign_in(page, "agent")
    ledger = _menu(page, "Ledger")
    ledger.locator("summary").focus()
    page.keyboard.press("Enter")
    assert ledger.get_attribute("open") is not None
    page.keyboard.press("Tab")  # into the menu: its first link
    assert page.evaluate("document.activeElement.textContent") == "Parties"
    page.screenshot(path="/tmp/nav-1280-focus.png")
    page.keyboard.press("Escape")
    assert ledger.get_attribute("open") is None
    assert page.evaluate("document.activeElement.textContent") == "Ledger"


def test_one_menu_at_a_time_and_a_click_outside_closes_it(page, agent):
    sign_in(page, "agent")
    ledger, payables = _menu(page, "Ledger"), _menu(page, "Payables")
    ledger.locator("summary").click()
    payables.locator("summary").click()
    assert ledger.get_attribute("open") is None
    assert payables.get_attribute("open") is not None
    page.locator("main h1").click()
    assert payables.get_attribute("open") is None


def test_on_a_phone_an_open_menu_stays_on_the_screen(browser, live_server, agent):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    sign_in(page, "agent")
    receivables = _menu(page, "Receivables")
    receivables.locator("summary").click()
    panel = receivables.locator(".navmenu-panel").bounding_box()
    assert panel["x"] >= 0 and panel["x"] + panel["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path="/tmp/nav-390-open.png")
    page.set_viewport_size({"width": 768, "height": 600})
    page.screenshot(path="/tmp/nav-768-open.png")
    context.close()
