"""The locust users of benchmarks/load_search.py: citizens searching the portal in Chinese.

Each user repeatedly picks one of load_search.py's queries (the 20 of search_overhead.py over the generated corpus,
and words of the demo records) and either opens the search page (`/dataset/?q=…`, HTML with facets) or calls the search API
(`/api/3/action/package_search?q=…`), half and half, with a think time between requests (HLJ_LOAD_WAIT, seconds
"min,max"; default 0.5–1.5). A response counts as a failure unless it is a 200 whose body is what was asked for:
the page with the query in its search box, or the API's JSON with success true and a count. Request names group
the figures per endpoint, whatever the query.

Run by load_search.py (`locust -f benchmarks/load_search_users.py --headless …`), not by hand.
"""

from __future__ import annotations

import html
import os
import random
import sys
from pathlib import Path
from urllib.parse import quote

from locust import FastHttpUser, between, task

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_search import API, PAGE, QUERIES  # the benchmarks folder is no package

_low, _high = (float(v) for v in os.environ.get("HLJ_LOAD_WAIT", "0.5,1.5").split(","))


class Citizen(FastHttpUser):
    wait_time = between(_low, _high)
    # A stuck request is a failure, not an endless wait (the portal's uWSGI harakiri is 60 s too).
    network_timeout = 60.0
    connection_timeout = 60.0

    def on_start(self) -> None:
        self.rng = random.Random(id(self))

    @task
    def search_page(self) -> None:
        query = self.rng.choice(QUERIES)
        with self.client.get(f"/dataset/?q={quote(query)}", name=PAGE, catch_response=True) as response:
            body = response.text or ""
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
            elif html.escape(query, quote=True) not in body and query not in body:
                response.failure("the page does not show the query")

    @task
    def search_api(self) -> None:
        query = self.rng.choice(QUERIES)
        url = f"/api/3/action/package_search?q={quote(query)}"
        with self.client.get(url, name=API, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
                return
            try:
                result = response.json()
            except ValueError:
                response.failure("not JSON")
                return
            if result.get("success") is not True or not isinstance(result["result"].get("count"), int):
                response.failure(f"unexpected answer: {str(result)[:200]}")
