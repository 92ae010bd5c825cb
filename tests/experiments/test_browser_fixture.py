"""The headless browser the report and page tests rely on: it loads a page and reports its console errors."""


def test_browser_loads_a_page_and_sees_console_errors(browser, tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><body><h1 id='title'>ready</h1><script>console.error('deliberate')</script></body></html>")
    browser.get(page.as_uri())
    assert browser.find_element("id", "title").text == "ready"
    from browser import severe_console_errors
    errors = severe_console_errors(browser)
    assert len(errors) == 1 and "deliberate" in errors[0]


def test_without_a_browser_the_tests_skip_with_the_reason_here_and_fail_in_ci(tmp_path):
    """The browser fixture on a machine without Chromium (PATH emptied): skipped with the reason and the install
    command on a developer's machine, an error (the fixture fails) when CI is set."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    test = "tests/experiments/test_browser_fixture.py::test_browser_loads_a_page_and_sees_console_errors"
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env.update(PATH=str(tmp_path), PYTHONPATH=str(root))
    args = [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", "-p", "no:xdist", test]
    local = subprocess.run(args, cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert local.returncode == 0 and "1 skipped" in local.stdout, local.stdout[-2000:]
    assert "chromium and chromedriver not found" in local.stdout and "apt-get install" in local.stdout
    assert "CI runs this test" in local.stdout
    ci = subprocess.run(args, cwd=root, env={**env, "CI": "true"}, capture_output=True, text=True, timeout=120)
    assert ci.returncode == 1 and "1 error" in ci.stdout and "without a browser" in ci.stdout, ci.stdout[-2000:]
