#!/usr/bin/env python3
"""A fake Docker engine on a unix socket that replays canned answers.

usage: fake-engine.py SOCKET SCENARIO.json REQUEST-LOG

The scenario is a JSON object:
  routes     list of {"path": REGEX, "status": 200, "headers": {...},
             "body": STRING-or-JSON, "file": NAME}; the first route whose
             regex matches the request path (with query) answers; "file" is
             read from tests/fixtures/engine/.  No match: 404.
  die_after  after answering this many requests, exit at once (the daemon
             going away mid-audit): every connection is closed and the
             socket refuses new ones.
  raw        greet every connection with these bytes, then wait for the client
             to hang up (not HTTP; an SSH server does this).
  delay_ms   wait this long before each answer.

Every request line is appended to REQUEST-LOG ("GET /v1.41/info"), so the
tests can check what the client asked for; the line of every request that got
its answer is appended to REQUEST-LOG.answered once the answer is written.  Only for tests: no security.
"""
import json
import os
import re
import socket
import socketserver
import sys
import threading
import time

sock_path, scenario_path, log_path = sys.argv[1:4]
here = os.path.dirname(os.path.abspath(__file__))
fixtures = os.path.join(here, "..", "fixtures", "engine")
with open(scenario_path, encoding="utf-8") as fh:
    scenario = json.load(fh)
routes = [(re.compile(r["path"]), r) for r in scenario.get("routes", [])]
lock = threading.Lock()
answered = 0


def body_of(route):
    if "file" in route:
        with open(os.path.join(fixtures, route["file"]), "rb") as fh:
            return fh.read()
    b = route.get("body", "")
    if isinstance(b, str):
        return b.encode()
    return json.dumps(b).encode()


class Handler(socketserver.StreamRequestHandler):
    def handle(self):
        global answered
        if "raw" in scenario:
            # Like an SSH server: greet, then wait for the client to hang up.
            self.wfile.write(scenario["raw"].encode())
            self.wfile.flush()
            while self.rfile.read(1):
                pass
            return
        while True:
            line = self.rfile.readline()
            if not line:
                return
            req = line.decode("latin-1").strip()
            while True:
                h = self.rfile.readline()
                if not h or h in (b"\r\n", b"\n"):
                    break
            with lock:
                with open(log_path, "a", encoding="utf-8") as log:
                    log.write(req + "\n")
            parts = req.split(" ")
            path = parts[1] if len(parts) > 1 else "/"
            route = next((r for rx, r in routes if rx.search(path)), None)
            if route is None:
                status, body, headers = 404, b'{"message":"no such object"}', {}
            else:
                status, body = route.get("status", 200), body_of(route)
                headers = route.get("headers", {})
            if "delay_ms" in scenario:
                time.sleep(scenario["delay_ms"] / 1000.0)
            head = "HTTP/1.1 %d X\r\nContent-Type: application/json\r\nContent-Length: %d\r\n" % (
                status, len(body))
            for k, v in headers.items():
                head += "%s: %s\r\n" % (k, v)
            # Answers are written under the lock so that exactly die_after
            # of them reach the client before the engine goes away.
            with lock:
                if "die_after" in scenario and answered >= scenario["die_after"]:
                    os._exit(0)
                answered += 1
                self.wfile.write(head.encode() + b"\r\n" + body)
                self.wfile.flush()
                with open(log_path + ".answered", "a", encoding="utf-8") as log:
                    log.write(req + "\n")


class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


if os.path.exists(sock_path):
    os.unlink(sock_path)
srv = Server(sock_path, Handler)
os.chmod(sock_path, int(scenario.get("mode", "666"), 8))
with open(sock_path + ".ready", "w", encoding="utf-8") as fh:
    fh.write(str(os.getpid()))
srv.serve_forever()
