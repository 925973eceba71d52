"""Fixtures of the console's browser test: the real daemon with tomorrow's demo orders planned,
and headless Chromium through Selenium. Both skip with a clear message when what they need is
missing (the binary, chromium, chromedriver, selenium)."""
import os
import pathlib
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import lastmile_daemon  # noqa: E402

REPO = pathlib.Path(__file__).resolve().parents[2]
OUT = pathlib.Path(os.environ.get("LASTMILE_TEST_OUT", "/tmp/lastmile-browser"))


@pytest.fixture(scope="session")
def out_dir():
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.png"):
        old.unlink()
    return OUT


@pytest.fixture(scope="session")
def binary():
    path = pathlib.Path(os.environ.get("LASTMILE_BIN", REPO / ".build/debug/lastmile"))
    if not path.is_absolute():
        path = REPO / path
    if not path.exists():
        pytest.skip(f"no lastmile binary at {path} (build it: swift build --product lastmile, or set LASTMILE_BIN)")
    return path


@pytest.fixture(scope="session")
def daemon(tmp_path_factory, request):
    if os.environ.get("LASTMILE_TEST_URL"):
        d = lastmile_daemon.Daemon("", REPO, tmp_path_factory.mktemp("daemon"))
        d.attach(os.environ["LASTMILE_TEST_URL"])
        yield d
        return
    binary = request.getfixturevalue("binary")
    d = lastmile_daemon.Daemon(binary, REPO, tmp_path_factory.mktemp("daemon"))
    try:
        d.start()
        d.load_demo()
        yield d
    finally:
        d.stop()


@pytest.fixture(scope="session")
def driver():
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    chromedriver = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
    for path, pkg in ((chromium, "chromium"), (chromedriver, "chromium-driver")):
        if not os.path.exists(path):
            pytest.skip(f"{path} is missing: apt-get install -y chromium chromium-driver")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.skip("selenium is missing: pip install selenium")
    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium
    for a in ("--headless=new", "--no-sandbox", "--window-size=1280,800", "--disable-gpu", "--disable-dev-shm-usage",
              "--lang=zh-CN"):
        opts.add_argument(a)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    drv = webdriver.Chrome(service=Service(chromedriver), options=opts)
    drv.set_page_load_timeout(30)
    # --window-size sizes the window; make the page's viewport itself 1280×800.
    drv.get("about:blank")
    lastmile_daemon.set_viewport(drv, 1280, 800)
    try:
        yield drv
    finally:
        drv.quit()
