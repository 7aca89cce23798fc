"""Server time of the web console's pages on a big book: each page asked for N times through
the ASGI app in this process (no network), the median and the worst reported.

    .venv/bin/python -m bench.generate --clients 100000 --out /tmp/100k.jsonl
    rolodex accounts create "Bench Co" --slug bench --json > acct.json
    rolodex import --account bench /tmp/100k.jsonl
    .venv/bin/python -m bench.console_pages --database-url sqlite:///rolodex.db --account acct.json
"""

from __future__ import annotations

import argparse
import re
import statistics
import time

import orjson
from starlette.testclient import TestClient

from rolodex.app import create_app
from rolodex.config import Settings
from rolodex.runtime import Runtime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--account", required=True, help="accounts create --json output")
    parser.add_argument("--times", type=int, default=30)
    args = parser.parse_args()
    with open(args.account, "rb") as f:
        account = orjson.loads(f.read())
    runtime = Runtime(Settings(database_url=args.database_url, secret_key="bench"))
    http = TestClient(create_app(runtime=runtime))
    page = http.get("/sign-in")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    http.post("/sign-in", data={"csrf": csrf, "api_key": account["native"]["api_key"]})
    listed = http.get("/clients?sort=name").text
    client_id = re.search(r'href="/clients/(\d+)"', listed).group(1)  # type: ignore[union-attr]
    next_url = re.search(r'href="(/clients\?[^"]*cursor=[^"]*)"', listed)
    pages = {
        "overview /": "/",
        "clients, first page (by name)": "/clients?sort=name",
        "clients, a later page (cursor)": (
            next_url.group(1).replace("&amp;", "&") if next_url else ""
        ),
        "clients, newest first": "/clients?sort=-created_at",
        "clients, search q=smith": "/clients?q=smith",
        "clients, search q=zzzq (no match)": "/clients?q=zzzq",
        "clients, tag filter": "/clients?tag=vip",
        "clients, inactive filter": "/clients?inactive=yes",
        "client page (records + history)": f"/clients/{client_id}",
        "edit form": f"/clients/{client_id}/edit",
        "import & export": "/transfer",
    }
    print("| page | median ms | worst ms |\n|---|---:|---:|")
    for name, url in pages.items():
        if not url:
            continue
        times = []
        for _ in range(args.times):
            started = time.perf_counter()
            response = http.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        print(f"| {name} | {statistics.median(times):.1f} | {max(times):.1f} |")
    runtime.dispose()


if __name__ == "__main__":
    main()
