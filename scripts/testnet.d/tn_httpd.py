"""The testnet's web server: GET serves the files of a folder, PUT and POST
take an upload (read and thrown away, its size answered), so traffic through
the exits flows both ways. GET /trickle/N sends 1 KiB every half second for N
seconds: a connection that stays open however fast tor reads (tor drains a
local file in well under a second, too fast to see a stream's socket).
127.0.0.1 only. Python's standard library only.

usage: tn_httpd.py PORT ROOT
"""

import functools
import http.server
import sys
import time


class Handler(http.server.SimpleHTTPRequestHandler):
    def do_PUT(self):
        length = int(self.headers.get("Content-Length") or 0)
        left = length
        while left > 0:
            chunk = self.rfile.read(min(left, 1 << 16))
            if not chunk:
                break
            left -= len(chunk)
        body = f"{length - left}\n".encode()
        self.send_response(201)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_PUT

    def do_GET(self):
        if not self.path.startswith("/trickle/"):
            return super().do_GET()
        try:
            seconds = min(int(self.path[len("/trickle/"):]), 600)
        except ValueError:
            return self.send_error(400)
        chunk = b"." * 1024
        self.send_response(200)
        self.send_header("Content-Length", str(len(chunk) * seconds * 2))
        self.end_headers()
        for _ in range(seconds * 2):
            self.wfile.write(chunk)
            self.wfile.flush()
            time.sleep(0.5)

    def log_message(self, fmt, *args):
        sys.stderr.write("%s %s\n" % (self.log_date_time_string(), fmt % args))


def main():
    port, root = int(sys.argv[1]), sys.argv[2]
    handler = functools.partial(Handler, directory=root)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.serve_forever()


if __name__ == "__main__":
    main()
