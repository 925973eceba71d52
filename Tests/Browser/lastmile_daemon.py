"""Runs the real `lastmile serve` for the browser test and the bench: a temporary database, any
free port, the demo's orders moved to tomorrow and planned."""
import datetime as dt
import json
import os
import pathlib
import re
import subprocess
import threading
import time
import urllib.error
import urllib.request

TOKEN = os.environ.get("LASTMILE_TOKEN") or "devtoken-0123456789abcdef"
SCENARIO = "scenarios/shanghai-center"


def retime(lines, day):
    """Every order to delivery day `day`; completed_at moves by the same number of days
    (same time of day and offset), so it stays before the cut-off of the day before."""
    out = []
    for line in lines:
        if not line.strip():
            continue
        o = json.loads(line)
        old = dt.date.fromisoformat(o["delivery_date"])
        shift = (day - old).days
        o["delivery_date"] = day.isoformat()
        c = o.get("completed_at")
        if c:
            d = dt.date.fromisoformat(c[:10]) + dt.timedelta(days=shift)
            o["completed_at"] = d.isoformat() + c[10:]
        out.append(o)
    return out


def set_viewport(driver, width, height):
    """Resize the browser window so that the page's viewport is width × height."""
    for _ in range(3):
        w, h = driver.execute_script("return [innerWidth, innerHeight]")
        if (w, h) == (width, height):
            return
        size = driver.get_window_size()
        driver.set_window_size(size["width"] + width - w, size["height"] + height - h)


class Daemon:
    def __init__(self, binary, repo, work):
        self.binary = pathlib.Path(binary)
        self.repo = pathlib.Path(repo)
        self.work = pathlib.Path(work)
        self.proc = None
        self.url = None
        self.log = self.work / "daemon.log"
        self.orders = []
        self.plan_id = None
        self.day = None

    def start(self, iterations=200, timeout=120, env_extra=None, extra_args=()):
        env = dict(os.environ, LASTMILE_TOKEN=TOKEN,
                   LASTMILE_CONSOLE_DIR=str(self.repo / "Sources/Console/Resources/console"), **(env_extra or {}))
        self.logfile = open(self.log, "w")
        self.proc = subprocess.Popen(
            [str(self.binary), "serve", "--scenario", SCENARIO, "--db", str(self.work / "console.db"), "--port", "0",
             "--routing-iterations", str(iterations), *extra_args],
            cwd=self.repo, env=env, stdout=subprocess.PIPE, stderr=self.logfile, text=True)
        found = {}

        def read():
            for line in self.proc.stdout:
                m = re.search(r"listening on (http://\S+)", line)
                if m and "url" not in found:
                    found["url"] = m.group(1)
        threading.Thread(target=read, daemon=True).start()
        end = time.time() + timeout
        while "url" not in found:
            if self.proc.poll() is not None:
                raise RuntimeError(f"lastmile serve exited with {self.proc.returncode}; log: {self.log}")
            if time.time() > end:
                raise RuntimeError(f"lastmile serve printed no address in {timeout} s; log: {self.log}")
            time.sleep(0.05)
        self.url = found["url"].rstrip("/")

    def attach(self, url):
        """Use a daemon already running (LASTMILE_TEST_URL, for working on the test): plan
        tomorrow only if it has no plan yet."""
        self.url = url.rstrip("/")
        config = self.get("/v1/console/config")
        self.day = dt.date.fromisoformat(config["today"]) + dt.timedelta(days=1)
        plans = self.get(f"/v1/plans?date={self.day}")["plans"]
        if not plans:
            return self.load_demo()
        self.orders = retime((self.repo / SCENARIO / "orders.jsonl").read_text().splitlines(), self.day)
        self.plan_id = next(p["plan_id"] for p in plans if p["current"])
        return self.plan_id

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                # An open console must not hold a graceful stop up (CrashTests has the same check).
                raise AssertionError(f"lastmile serve still running 20 s after SIGTERM; log: {self.log}")
            if self.proc.returncode != 0:
                raise AssertionError(f"lastmile serve exited with {self.proc.returncode} after SIGTERM; log: {self.log}")

    def request(self, method, path, body=None, content_type="application/json", auth=True, timeout=320):
        data = None
        if body is not None:
            data = body if isinstance(body, (bytes, bytearray)) else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", content_type)
        if auth:
            req.add_header("Authorization", "Bearer " + TOKEN)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                raw = r.read()
                ctype = r.headers.get("Content-Type", "")
                return r.status, (json.loads(raw) if "json" in ctype else raw.decode())
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                return e.code, json.loads(raw)
            except ValueError:
                return e.code, raw.decode(errors="replace")

    def get(self, path):
        status, body = self.request("GET", path)
        if status != 200:
            raise AssertionError(f"GET {path}: {status} {body}")
        return body

    def load_demo(self, iterations_note=""):
        config = self.get("/v1/console/config")
        today = dt.date.fromisoformat(config["today"])
        self.day = today + dt.timedelta(days=1)
        src = (self.repo / SCENARIO / "orders.jsonl").read_text().splitlines()
        self.orders = retime(src, self.day)
        for i in range(0, len(self.orders), 10000):
            batch = "\n".join(json.dumps(o, ensure_ascii=False) for o in self.orders[i:i + 10000]).encode()
            status, body = self.request("POST", "/v1/orders", batch, content_type="application/x-ndjson")
            if status not in (200, 201):
                raise AssertionError(f"POST /v1/orders: {status} {json.dumps(body)[:2000]}")
        status, job = self.request("POST", "/v1/plans?wait=300", {"delivery_date": self.day.isoformat()})
        if status != 200 or job.get("state") != "done":
            raise AssertionError(f"POST /v1/plans: {status} {job}")
        self.plan_id = job["plan_id"]
        return self.plan_id
