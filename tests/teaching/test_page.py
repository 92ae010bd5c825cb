"""The teaching page in a real headless browser: started with its documented command (``python -m
sim.teaching``), it loads as a lesson starts (knob values shown, the lesson's first settings, no developer
controls, no empty plots), a lesson block is driven (set a knob, run, change it, run again) and the two runs
are shown side by side, and input the model rejects shows the reason while the server keeps serving.

One server for the module (it starts in about 10-20 s on a busy 2-core machine); each test has its own
browser session and so its own model. Every wait is bounded.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from browser import severe_console_errors
from sim.teaching.knobs import PLOTS

ROOT = Path(__file__).resolve().parents[2]
SERVER_START_TIMEOUT = 90.0  # s; measured 7-20 s here, the margin is for a loaded CI machine
UI_TIMEOUT = 30.0  # s for one page update (building a model takes 1-3 s, a month's step under 1 s)
RUN_TIMEOUT = 90.0  # s for a half-year run (measured 2-10 s; the margin is for a loaded CI machine)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OutboundRecorder:
    """Stands in for the network: the page server's HTTP(S) proxy, recording every request it is asked to make
    (an offline page must make none; the test's browser does not use it)."""

    def __init__(self):
        self.requests: list[str] = []
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                client, _ = self.socket.accept()
            except OSError:
                return
            with client:
                self.requests.append(client.recv(4096).split(b"\r\n")[0].decode(errors="replace"))

    def environment(self) -> dict[str, str]:
        return {name: self.url for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")} | {
            "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"}


@pytest.fixture(scope="module")
def outbound():
    recorder = OutboundRecorder()
    yield recorder
    recorder.socket.close()


@pytest.fixture(scope="module")
def page_url(tmp_path_factory, outbound):
    """The documented command serving the page on a free localhost port; stopped after the module."""
    port = free_port()
    log_path = tmp_path_factory.mktemp("teaching") / "server.log"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p),
               **outbound.environment())
    with open(log_path, "wb") as log:
        server = subprocess.Popen([sys.executable, "-m", "sim.teaching", "--port", str(port), "--no-open"],
                                  cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if server.poll() is not None:
                pytest.fail(f"the page server exited with {server.returncode}:\n{log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the page server did not answer within {SERVER_START_TIMEOUT:.0f} s:\n"
                            f"{log_path.read_text()[-3000:]}")
            time.sleep(0.5)
        yield url
        assert server.poll() is None, f"the page server died:\n{log_path.read_text()[-3000:]}"
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)  # the server's own session: only what this fixture started
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait(timeout=15)


# -- reading and driving the page ------------------------------------------------------------------------
def wait_for(driver, condition, what: str, timeout: float = UI_TIMEOUT):
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = condition(driver)
        except Exception:  # noqa: BLE001 - elements are replaced while Solara re-renders; try again
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            driver.save_screenshot(str(Path(os.environ.get("TMPDIR", "/tmp")) / "teaching-page-timeout.png"))
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}; page text:\n"
                                 + driver.find_element(By.TAG_NAME, "body").text[:2000])
        time.sleep(0.2)


def values_table(driver):
    tables = driver.find_elements(By.ID, "teaching-values")
    return tables[0] if tables else None


def steps_done(driver) -> int | None:
    table = values_table(driver)
    return None if table is None else int(table.get_attribute("data-steps"))


def series(driver) -> dict[str, list[float]]:
    """Every plotted measure's series as rendered in the page (row 0 = end of warm-up)."""
    rows = values_table(driver).find_elements(By.CSS_SELECTOR, "tr[data-measure]")
    return {row.get_attribute("data-measure"): [float(v) for v in row.get_attribute("data-series").split(",")]
            for row in rows}


def settings(driver) -> str:
    return driver.find_element(By.CLASS_NAME, "teaching-settings").text


def button(driver, label: str):
    return driver.find_element(By.XPATH, f"//button[normalize-space()='{label}']")


def play_disabled(driver) -> bool:
    """The play/pause button (labelled ▶, or ❚❚ while playing) is disabled: the model stopped running."""
    buttons = driver.find_elements(By.XPATH, "//button[normalize-space()='▶' or normalize-space()='❚❚']")
    return len(buttons) == 1 and not buttons[0].is_enabled()


def page_problems(driver) -> list[str]:
    """Severe console errors and Python tracebacks Solara renders into the page."""
    body = driver.find_element(By.TAG_NAME, "body").text
    return severe_console_errors(driver) + (["traceback in page: " + body[:1500]] if "Traceback" in body else [])


def open_page(driver, url: str) -> None:
    driver.get(url)
    wait_for(driver, lambda d: steps_done(d) == 0, "the first model (warm-up done, step 0)")


RESET_ATTEMPTS = 3


def reset(driver, expect_in_settings: str, before_retry=None) -> None:
    """Press Reset until the page shows a model built with ``expect_in_settings`` (its settings line).

    A widget's new value reaches the server as a state update, which the browser buffers while earlier
    updates are unacknowledged, whereas a click is an event sent at once: under load a Reset (or an Enter in
    a text field) can overtake the value it should use (measured: Enter right after typing commits only the
    first character). Pressing it again once the update has arrived is what a user would do; the attempts are
    bounded and each waits for the page, not for a fixed time."""

    def built(text: str) -> bool:
        return text.endswith(expect_in_settings) or f"{expect_in_settings};" in text

    for attempt in range(1, RESET_ATTEMPTS + 1):
        if attempt > 1 and before_retry is not None:
            before_retry()
        before = settings(driver)
        button(driver, "Reset").click()
        # done when the expected model is shown, or another new one (built from a value not yet updated)
        shown = wait_for(driver, lambda d: (built(now := settings(d)) or now != before) and now,
                         f"a new model with {expect_in_settings!r}", timeout=UI_TIMEOUT / RESET_ATTEMPTS)
        if built(shown):
            return
        print(f"Reset pressed again: the model was built with {shown!r}, not {expect_in_settings!r}")
    raise AssertionError(f"no model with {expect_in_settings!r} after {RESET_ATTEMPTS} presses of Reset")


def step(driver, times: int) -> None:
    for _ in range(times):
        before = steps_done(driver)
        button(driver, "Step").click()
        wait_for(driver, lambda d, b=before: steps_done(d) == b + 1, f"step {before + 1}")


def knob_value(driver, name: str) -> str:
    """The value a knob's label shows next to its slider."""
    return driver.find_element(By.CSS_SELECTOR, f".knob-{name} .knob-value").text


def set_slider(driver, name: str, key: str) -> str:
    """Move a knob's slider to an end with the keyboard (Keys.HOME / Keys.END); returns the value its label
    shows then (the value the slider reports must be the one shown)."""
    before = knob_value(driver, name)
    driver.find_element(By.CSS_SELECTOR, f".knob-{name} div[role='slider']").send_keys(key)
    shown = wait_for(driver, lambda d: (v := knob_value(d, name)) != before and v, f"knob {name!r} to move")
    now = driver.find_element(By.CSS_SELECTOR, f".knob-{name} div[role='slider']").get_attribute("aria-valuenow")
    assert float(now) == float(shown), (now, shown)
    return shown


EXTRA_FIELD = "//label[contains(normalize-space(), 'Extra overrides')]/following-sibling::input"


def press_enter_in_extra_overrides(driver) -> None:
    driver.find_element(By.XPATH, EXTRA_FIELD).send_keys(Keys.ENTER)


def set_extra_overrides(driver, text: str) -> None:
    """Type into the extra-overrides field and build a model with it (Solara takes the value on Enter)."""
    field = driver.find_element(By.XPATH, EXTRA_FIELD)
    field.click()
    if field.get_attribute("value"):
        field.send_keys(Keys.CONTROL + "a", Keys.BACKSPACE)
        wait_for(driver, lambda d: d.find_element(By.XPATH, EXTRA_FIELD).get_attribute("value") == "", "an empty field")
    driver.find_element(By.XPATH, EXTRA_FIELD).send_keys(text)
    wait_for(driver, lambda d: d.find_element(By.XPATH, EXTRA_FIELD).get_attribute("value") == text, f"{text!r} typed")
    press_enter_in_extra_overrides(driver)
    reset(driver, f"extra: {text}", before_retry=lambda: press_enter_in_extra_overrides(driver))


def error_text(driver) -> str:
    errors = driver.find_elements(By.CLASS_NAME, "teaching-error")
    return errors[0].text if errors else ""


# knob names (sim/teaching/knobs.py) and the labels the run's settings line uses
STAFF, STAFF_LABEL = "staff_per_100k", "Coordinator staff per 100,000 inhabitants"
SPECIALISATION, SPECIALISATION_LABEL = "specialisation", "Specialisation (units per condition)"
YEARS, YEARS_LABEL = "years", "Years to simulate"
DEVELOPER_CONTROLS = ("Play Interval", "Render Interval", "Use Threads", "PAGE 0", "Page 0")


def save_screenshot(driver, tmp_path: Path) -> None:
    """Keep a screenshot of the page; TEACHING_SCREENSHOT=docs/img/teaching-page.png refreshes the README's."""
    driver.set_window_size(1400, 1900)  # tall enough for the explanation, the values and the first plots
    wait_for(driver, lambda d: d.execute_script("return window.innerHeight") > 1500, "the taller window")
    driver.save_screenshot(str(tmp_path / "teaching-page.png"))
    target = os.environ.get("TEACHING_SCREENSHOT")
    if target:
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(target)


def plot_images(driver) -> list[str]:
    return [img.get_attribute("src") for img in driver.find_elements(By.CSS_SELECTOR, "img.widget-image")]


def run_to_the_end(driver, days: int) -> None:
    button(driver, "▶").click()
    wait_for(driver, lambda d: values_table(d).get_attribute("data-day") == str(days), "the run to finish",
             timeout=RUN_TIMEOUT)
    wait_for(driver, play_disabled, "the play button to be disabled at the end")


def earlier_columns(driver) -> list[str]:
    return [th.get_attribute("data-label") for th in values_table(driver).find_elements(By.CSS_SELECTOR, "th.earlier")]


def earlier_value(driver, measure: str, column: int = 0) -> float:
    row = values_table(driver).find_element(By.CSS_SELECTOR, f"tr[data-measure='{measure}']")
    return float(row.find_elements(By.CSS_SELECTOR, "td.earlier")[column].get_attribute("data-value"))


# -- tests ------------------------------------------------------------------------------------------------
def test_the_page_opens_as_the_lesson_starts(browser, page_url):
    open_page(browser, page_url)
    assert not page_problems(browser), page_problems(browser)
    assert browser.title.startswith("The specialisation dilemma")
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "40,000 inhabitants" in body and "Reset" in body and "adverse transition" in body
    assert not [c for c in DEVELOPER_CONTROLS if c in body], "SolaraViz's developer controls are shown"
    # the lesson's first block: usual care's specialisation, no coordinators; every slider shows its value
    assert knob_value(browser, SPECIALISATION) == "2" and knob_value(browser, "coordinators") == "0"
    assert f"{SPECIALISATION_LABEL}: 2;" in settings(browser) and "Coordinators per patient (0 = none): 0;" in settings(browser)
    assert all(e.text for e in browser.find_elements(By.CSS_SELECTOR, ".knob-value"))
    # no empty axes before the first step: a hint instead of plots
    assert plot_images(browser) == [] and browser.find_elements(By.CLASS_NAME, "teaching-hint")
    step(browser, 1)
    wait_for(browser, lambda d: len(plot_images(d)) == len(PLOTS), "one plot per measure group after the first step")
    assert not browser.find_elements(By.CLASS_NAME, "teaching-hint")


def test_a_lesson_block_compares_two_runs_side_by_side(browser, page_url, tmp_path):
    """Block 1 of the lesson: run specialisation 2 (usual care) to the end, then 6; the page shows both."""
    open_page(browser, page_url)
    run_to_the_end(browser, 365)
    usual = series(browser)
    assert len(usual["handoffs_per_discharge"]) == 14     # warm-up end + 13 monthly steps (12 x 30 days + 5)
    assert earlier_columns(browser) == []

    assert set_slider(browser, SPECIALISATION, Keys.END) == "6"
    reset(browser, f"{SPECIALISATION_LABEL}: 6")
    assert steps_done(browser) == 0
    # the previous run is kept from the moment this one starts: plots are not empty, its values are listed
    wait_for(browser, lambda d: earlier_columns(d) == ["specialisation 2"], "the first run beside the new one")
    wait_for(browser, lambda d: len(plot_images(d)) == len(PLOTS), "the earlier run on the plots")
    run_to_the_end(browser, 365)
    specialised = series(browser)
    # 4 units per condition above usual care add at least 4 handoffs to every discharge, every month (a knob
    # that did not reach the model would leave the series identical)
    assert all(c >= d + 4 for c, d in zip(specialised["handoffs_per_discharge"][1:], usual["handoffs_per_discharge"][1:]))
    # what the class sees: the earlier run's final values beside this run's, both named by their setting
    assert earlier_columns(browser) == ["specialisation 2"]
    assert earlier_value(browser, "adverse_transitions") == pytest.approx(usual["adverse_transitions"][-1])
    assert specialised["adverse_transitions"][-1] > usual["adverse_transitions"][-1] + 0.1   # 0.29 -> 0.60 in the guide
    header = values_table(browser).find_elements(By.TAG_NAME, "th")[-2].text
    assert header == "this run: specialisation 6"
    lines = browser.find_element(By.CLASS_NAME, "teaching-lines").text
    assert lines == "Bold: this run (specialisation 6); faded: specialisation 2"
    assert len(plot_images(browser)) == len(PLOTS)
    assert not page_problems(browser), page_problems(browser)
    save_screenshot(browser, tmp_path)


def test_rejected_knobs_show_the_reason_and_the_page_keeps_working(browser, page_url):
    open_page(browser, page_url)
    # no coordinator staff with coordinators on: validate() rejects the combination
    assert set_slider(browser, "coordinators", Keys.ARROW_RIGHT) == "1"
    assert set_slider(browser, STAFF, Keys.HOME) == "0"
    reset(browser, f"{STAFF_LABEL}: 0")
    message = wait_for(browser, error_text, "the validation message")
    assert "scenario.coordinator.staff_per_100k = 0 with coordinators enabled" in message
    # Mesa re-enables Step at every Reset; pressing it on a model that cannot run does nothing but disable it
    button(browser, "Step").click()
    wait_for(browser, lambda d: not button(d, "Step").is_enabled(), "Step to be disabled")
    assert "staff_per_100k = 0" in error_text(browser)

    # an out-of-range value typed as an override: the message names the key and the allowed range
    assert set_slider(browser, STAFF, Keys.END) == "100"
    set_extra_overrides(browser, "scenario.specialisation.level=12")
    message = wait_for(browser, error_text, "the range message")
    assert "scenario.specialisation.level = 12: allowed range [1, 8]" in message

    # fixed input (and half a year, to keep the test short): the same page builds a model again ...
    assert set_slider(browser, YEARS, Keys.HOME) == "0.5"
    set_extra_overrides(browser, "scenario.specialisation.level=8")
    assert not error_text(browser) and f"{YEARS_LABEL}: 0.5;" in settings(browser)
    # ... and runs it to the end with the play button: 7 monthly steps cover the 182-day window
    run_to_the_end(browser, 182)
    costs = series(browser)["cost_per_patient_year_dkk"]
    assert len(costs) == 8 and all(c > 0 for c in costs[1:]), costs
    assert not page_problems(browser), page_problems(browser)


def test_the_page_server_reaches_no_network(page_url, outbound):
    """The page works offline and reaches nothing: an asset the bundled copy lacks is a local 404 (Solara's
    server would fetch it from a public CDN), and nothing the tests above did made the server go out."""
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(page_url + "_solara/cdn/left-pad@1.3.0/index.js", timeout=30)
    assert missing.value.code == 404
    with urllib.request.urlopen(page_url + "_solara/cdn/requirejs@2.3.6/require.js", timeout=30) as bundled:
        assert bundled.status == 200
    time.sleep(0.5)
    assert outbound.requests == [], f"the page server tried to reach the network: {outbound.requests}"
