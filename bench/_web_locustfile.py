"""locust users for bench/web: each opens the pages users open often, at random, as the role the
page belongs to, with a session (or API token) signed in by bench/web beforehand.

KOPDIG_BENCH_WEB names a JSON file: {"targets": [{"path", "role", "api"}], "sessions":
{role: [sessionid, token]}, "think": bool}. Not collected by pytest (no test_ prefix).
"""

import json
import os
import random

from locust import FastHttpUser, between, constant, task

SPEC = json.loads(open(os.environ["KOPDIG_BENCH_WEB"]).read()) if os.environ.get("KOPDIG_BENCH_WEB") else {}


class KopdigUser(FastHttpUser):
    wait_time = between(5, 15) if SPEC.get("think") else constant(0)
    connection_timeout = 30.0
    network_timeout = 30.0

    @task
    def open_page(self):
        target = random.choice(SPEC["targets"])
        sessionid, token = SPEC["sessions"][target["role"]]
        if target["api"]:
            headers = {"Authorization": f"Bearer {token}"}
        else:
            headers = {"Cookie": f"sessionid={sessionid}"}
        name = target["path"] if not target["api"] else "api " + target["path"]
        self.client.get(target["path"], headers=headers, name=name)
