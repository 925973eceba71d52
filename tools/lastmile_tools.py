"""Shared helpers of tools/loadtest, tools/crashtest, tools/benchday and tools/bench-day (stdlib only).

Every tool talks to a daemon on this machine only: URLs must point at the loopback range
(127.0.0.0/8, localhost, ::1); anything else is refused.
"""
import datetime
import ipaddress
import json
import os
import random
import re
import subprocess
import urllib.parse
import http.client
import zoneinfo

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEMO = os.path.join(ROOT, "scenarios", "shanghai-center")


def loopback(url):
    """(host, port) of a loopback URL; exits on any other host."""
    u = urllib.parse.urlparse(url)
    host = u.hostname or ""
    ok = host == "localhost"
    try:
        ok = ok or ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    if u.scheme != "http" or not ok:
        raise SystemExit(f"refusing {url}: only http://127.0.0.1 (loopback) is allowed")
    return host, u.port or 80


def load_scenario(path):
    f = path if path.endswith(".json") else os.path.join(path, "scenario.json")
    with open(f, encoding="utf-8") as h:
        return json.load(h)


def open_date(scenario, days_ahead=2):
    """A delivery date whose order book is open now (its cut-off is on a later day)."""
    tz = zoneinfo.ZoneInfo(scenario["time_zone"])
    return (datetime.datetime.now(tz).date() + datetime.timedelta(days=days_ahead)).isoformat()


def today_start(scenario):
    """Local midnight today, ISO 8601 with offset: a completion time before any open cut-off."""
    tz = zoneinfo.ZoneInfo(scenario["time_zone"])
    now = datetime.datetime.now(tz)
    return now.replace(hour=0, minute=0, second=0, microsecond=0).isoformat()


def demo_orders(path=os.path.join(DEMO, "orders.jsonl")):
    with open(path, encoding="utf-8") as h:
        return [json.loads(line) for line in h if line.strip()]


def make_orders(n, date, seed, prefix, templates, completed_at):
    """n orders shaped like the demo's (points, lines drawn from its orders), seeded."""
    rng = random.Random(seed)
    out = []
    for k in range(n):
        t = templates[rng.randrange(len(templates))]
        out.append({
            "order_id": f"{prefix}-{k:07d}", "group_id": f"{prefix}-G-{t['pickup_point_id']}-{k % 7}",
            "pickup_point_id": t["pickup_point_id"], "customer_id": t["customer_id"], "delivery_date": date,
            "completed_at": completed_at, "lines": t["lines"],
        })
    return out


def batch_body(orders):
    return ("\n".join(json.dumps(o, ensure_ascii=False, separators=(",", ":")) for o in orders) + "\n").encode()


class Client:
    """One keep-alive HTTP connection to the daemon."""

    def __init__(self, url, token=None, timeout=600):
        self.host, self.port = loopback(url)
        self.token = token
        self.timeout = timeout
        self.conn = None

    def request(self, method, path, body=None, content_type="application/x-ndjson"):
        headers = {"Content-Type": content_type} if body is not None else {}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                r = self.conn.getresponse()
                data = r.read()
                return r.status, data
            except (ConnectionError, http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt == 1:
                    raise

    def json(self, method, path, body=None):
        status, data = self.request(method, path, body)
        return status, (json.loads(data) if data else None)


def start_daemon(binary, args, env_extra):
    """Starts `lastmile serve` with port 0; returns (process, port) once it listens."""
    env = dict(os.environ)
    env.update(env_extra)
    p = subprocess.Popen([binary, "serve", "--port", "0", *args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    line = p.stdout.readline().decode()
    m = re.search(r":(\d+)\s*$", line)
    if not m:
        p.kill()
        raise SystemExit(f"daemon did not start: {line!r}")
    return p, int(m.group(1))


def percentile(sorted_values, q):
    if not sorted_values:
        return float("nan")
    i = min(len(sorted_values) - 1, max(0, int(round(q / 100 * (len(sorted_values) - 1)))))
    return sorted_values[i]
