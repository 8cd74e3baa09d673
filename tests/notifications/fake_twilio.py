"""A local HTTP server that answers like Twilio's REST API (Messages resource).

The real ``twilio`` client is pointed at it (``SMS_URL=twilio://SID:TOKEN@127.0.0.1:PORT
?scheme=http``): the request it sends is the one it would send to api.twilio.com.
"""

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "a-test-auth-token-0123456789abcd"


class FakeTwilio:
    def __init__(self, *, fail_first: int = 0, always_fail: bool = False):
        self.fail_first = fail_first
        self.always_fail = always_fail
        self.attempts = 0
        self.delivered: list[dict] = []  # accepted messages, as Twilio received them
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _reply(self, status, payload):
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                expected = "Basic " + base64.b64encode(
                    f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
                if self.headers.get("Authorization") != expected:
                    return self._reply(401, {"code": 20003, "message": "Authenticate",
                                             "status": 401})
                if self.path != f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json":
                    return self._reply(404, {"code": 20404, "message": "Not found",
                                             "status": 404})
                with fake.lock:
                    fake.attempts += 1
                    failing = fake.always_fail or fake.attempts <= fake.fail_first
                    if not failing:
                        fake.delivered.append(form)
                        sid = f"SM{len(fake.delivered):032d}"
                if failing:
                    return self._reply(503, {"code": 20503, "message": "Service unavailable",
                                             "status": 503})
                return self._reply(201, {
                    "sid": sid, "account_sid": ACCOUNT_SID, "to": form.get("To"),
                    "from": form.get("From"), "body": form.get("Body"), "status": "queued",
                    "num_segments": "1", "direction": "outbound-api",
                    "uri": f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{sid}.json",
                })

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def sms_url(self) -> str:
        port = self.server.server_address[1]
        return (f"twilio://{ACCOUNT_SID}:{AUTH_TOKEN}@127.0.0.1:{port}"
                "?from=%2B32470000000&scheme=http")

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
