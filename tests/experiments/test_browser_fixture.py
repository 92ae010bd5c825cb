"""The headless browser the report and page tests rely on: it loads a page and reports its console errors."""


def test_browser_loads_a_page_and_sees_console_errors(browser, tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><body><h1 id='title'>ready</h1><script>console.error('deliberate')</script></body></html>")
    browser.get(page.as_uri())
    assert browser.find_element("id", "title").text == "ready"
    from browser import severe_console_errors
    errors = severe_console_errors(browser)
    assert len(errors) == 1 and "deliberate" in errors[0]
