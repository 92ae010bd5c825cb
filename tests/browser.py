"""A real headless browser for tests: Debian's ``chromium`` driven by Selenium through ``chromedriver``.

The browser is a system package, not a pip one (nothing may be downloaded at run time): ``.ci/run``
installs ``chromium`` and ``chromium-driver`` when they are missing. Selenium is pointed at the
system ``chromedriver`` explicitly so that Selenium Manager never tries to fetch a driver.

A missing browser skips the tests that need it on a developer's machine, with the reason and the command
that installs it (pytest lists them as skipped), and fails them in CI (the ``CI`` environment variable set),
so CI cannot pass without exercising the report and the page: see ``browser_or_skip``.
"""

from __future__ import annotations

import contextlib
import shutil
from typing import Iterator

INSTALL_HINT = "install it with: apt-get install -y chromium chromium-driver (.ci/run does this when it is missing)"


def find_browser() -> tuple[str, str]:
    """Paths of the Chromium binary and its driver; a clear error naming the install command if absent."""
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if binary is None or driver is None:
        missing = " and ".join(name for name, path in (("chromium", binary), ("chromedriver", driver)) if path is None)
        raise RuntimeError(f"{missing} not found; {INSTALL_HINT}")
    return binary, driver


def missing_browser_reason() -> str | None:
    """Why the browser tests cannot run here, or None when Chromium and its driver are installed."""
    try:
        find_browser()
    except RuntimeError as missing:
        return str(missing)
    return None


@contextlib.contextmanager
def headless_chromium(width: int = 1400, height: int = 1000) -> Iterator:
    """A Selenium ``webdriver.Chrome`` running headless Chromium; console errors are readable with
    ``driver.get_log('browser')``."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary, driver_path = find_browser()
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                f"--window-size={width},{height}"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def severe_console_errors(driver) -> list[str]:
    """Messages the page logged at level SEVERE (JavaScript errors, failed loads)."""
    return [entry["message"] for entry in driver.get_log("browser") if entry.get("level") == "SEVERE"]
