"""What the browser tests share: checks that count failures, waits with
deadlines, the database, chromium at a phone's width, screenshots, and
logging in and out.  Imported by the scripts run_py (lib.sh) starts."""
import os
import sqlite3
import subprocess
import tempfile
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By

URL = os.environ["KT_URL"]
CLI = os.environ["KT_CLI"]
CONF = os.environ["KT_CONF"]
DB = os.environ["KT_DB"]
SHOTS = os.environ["KT_SHOTS"]
failed = [0]


def check(what, cond):
    print(("  ok: " if cond else "  FAIL: ") + what, flush=True)
    if not cond:
        failed[0] += 1
    return cond


def wait_for(cond, secs=10.0, step=0.02):
    """Poll cond() until it is true or the deadline passes."""
    end = time.monotonic() + secs
    while time.monotonic() < end:
        try:
            v = cond()
            if v:
                return v
        except Exception:  # the page may be between two renders
            pass
        time.sleep(step)
    return None


def sql(q, *args):
    con = sqlite3.connect(DB, timeout=5)
    try:
        return con.execute(q, args).fetchall()
    finally:
        con.close()


def browser():
    o = webdriver.ChromeOptions()
    for a in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
              "--no-first-run", "--disable-background-networking",
              "--disable-component-update", "--disable-sync",
              "--disable-dev-shm-usage", "--window-size=412,900",
              "--user-data-dir=" + tempfile.mkdtemp(dir=os.environ["KT_TMP"])):
        o.add_argument(a)
    o.binary_location = "/usr/bin/chromium"
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)


d = browser()
d.set_page_load_timeout(30)


class El:
    """An element found again by its selector for each use: a live event
    can re-render the page between finding an element and using it (the
    console sends one at most a second, the last of a burst a second
    late), and the user's next click lands on the new one as well."""

    def __init__(self, css):
        self.css = css
        d.find_element(By.CSS_SELECTOR, css)  # NoSuchElement now, as before

    def _do(self, use):
        for _ in range(40):
            try:
                return use(d.find_element(By.CSS_SELECTOR, self.css))
            except StaleElementReferenceException:
                time.sleep(0.05)
        return use(d.find_element(By.CSS_SELECTOR, self.css))

    def click(self):
        return self._do(lambda e: e.click())

    def clear(self):
        return self._do(lambda e: e.clear())

    def send_keys(self, *keys):
        return self._do(lambda e: e.send_keys(*keys))

    def get_attribute(self, name):
        return self._do(lambda e: e.get_attribute(name))

    def is_displayed(self):
        return self._do(lambda e: e.is_displayed())

    def find_elements(self, *args):
        return self._do(lambda e: e.find_elements(*args))

    @property
    def text(self):
        return self._do(lambda e: e.text)


def el(css):
    return El(css)


def els(css):
    return d.find_elements(By.CSS_SELECTOR, css)


def shot(name, width=412):
    """Save the whole page at a width (a phone's by default)."""
    metrics = {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False}
    d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    metrics["height"] = max(600, min(d.execute_script("return document.documentElement.scrollHeight"), 2400))
    d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    d.save_screenshot(os.path.join(SHOTS, name + ".png"))
    d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def login(name, password):
    wait_for(lambda: el("#login-name").is_displayed())
    el("#login-name").clear()
    el("#login-name").send_keys(name)
    el("#login-password").clear()
    el("#login-password").send_keys(password)
    el("#login-submit").click()


def logout():
    el("#logout").click()
    wait_for(lambda: el("#login").is_displayed())


def needs():
    return el("#needs-count").text


def inject(number, text):
    """Put an SMS on the dummy modem; `kentongan phone` waits for the reply."""
    return subprocess.Popen([CLI, "-c", CONF, "phone", number, text],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)




def forged_post(path, body):
    """POST with this session's CSRF token from the page; the status."""
    return d.execute_async_script("""
        var path = arguments[0], body = arguments[1], done = arguments[2];
        fetch('/console/api/me').then(r => r.json()).then(me =>
          fetch('/console/api/' + path, {method: 'POST', headers: {'Content-Type': 'application/json',
            'X-CSRF-Token': me.csrf}, body: JSON.stringify(body)}))
          .then(r => done(r.status));""", path, body)
