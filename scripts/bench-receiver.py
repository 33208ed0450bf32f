#!/usr/bin/env python3
"""An affiliate's postback receiver for the benches (bench-postbacks.sh, bench-outbound.sh).

    python3 scripts/bench-receiver.py PORT_FILE ARRIVALS_FILE

Listens on 127.0.0.1 (a free port, written to PORT_FILE once it listens), answers every request
200 "ok" at once (HTTP/1.1, keep-alive), and appends one tab-separated line per request to
ARRIVALS_FILE as it arrives:

    arrival (unix ms, fractional)  Affnet-Delivery-Id  Affnet-Delivery-Attempt  query c  query tx

(c and tx are the template's click id and transaction id, if it has them; "" otherwise). Every
request is written, repeats of a delivery id included: whoever reads the file dedupes on the id.
Stops on SIGTERM/SIGINT, or by itself once the process that started it is gone.
"""
import http.server
import os
import signal
import socketserver
import sys
import threading
import time
import urllib.parse


def main():
    port_file, arrivals_file = sys.argv[1], sys.argv[2]
    out = open(arrivals_file, "a", buffering=1, encoding="utf-8")
    lock = threading.Lock()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _receive(self):
            arrived = time.time() * 1000
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query, keep_blank_values=True)
            fields = [f"{arrived:.3f}", self.headers.get("Affnet-Delivery-Id", ""),
                      self.headers.get("Affnet-Delivery-Attempt", ""),
                      query.get("c", [""])[0], query.get("tx", [""])[0]]
            line = "\t".join(f.replace("\t", " ").replace("\n", " ") for f in fields) + "\n"
            with lock:
                out.write(line)
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        do_GET = do_POST = _receive

        def log_message(self, *args):
            pass

    class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
        daemon_threads = True

    server = Server(("127.0.0.1", 0), Handler)
    with open(port_file + ".tmp", "w") as f:
        f.write(f"{server.server_address[1]}\n")
    os.replace(port_file + ".tmp", port_file)

    parent = os.getppid()

    def watch_parent():
        while os.getppid() == parent:
            time.sleep(1)
        server.shutdown()

    threading.Thread(target=watch_parent, daemon=True).start()
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown, daemon=True).start())
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        with lock:
            out.close()


if __name__ == "__main__":
    main()
