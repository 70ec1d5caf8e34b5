"""A minimal SMTP server for tests whose workers run in child processes (their outbox is
out of reach). It can hold its first connection without a word, as a hung mail server
does, to keep a worker busy on a task until the test kills it."""

import socket
import threading


class SmtpServer:
    def __init__(self, *, hold_first: bool = False) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.hold_first = hold_first
        self.connections = 0
        self.messages: list[bytes] = []
        self.first_connection = threading.Event()
        self.message_arrived = threading.Event()
        self._held: list[socket.socket] = []
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def close(self) -> None:
        self.sock.close()
        for conn in self._held:
            conn.close()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            if self.hold_first and self.connections == 1:
                self._held.append(conn)  # accepted, never answered
                self.first_connection.set()
                continue
            threading.Thread(target=self._talk, args=(conn,), daemon=True).start()

    def _talk(self, conn: socket.socket) -> None:
        with conn, conn.makefile("rb") as lines:
            conn.sendall(b"220 test ESMTP\r\n")
            while line := lines.readline():
                command = line.strip().upper()
                if command.startswith((b"EHLO", b"HELO")):
                    conn.sendall(b"250 test\r\n")
                elif command == b"DATA":
                    conn.sendall(b"354 go on\r\n")
                    body = b"".join(iter(lambda: lines.readline(), b".\r\n"))
                    self.messages.append(body)
                    conn.sendall(b"250 kept\r\n")
                    self.message_arrived.set()
                elif command == b"QUIT":
                    conn.sendall(b"221 bye\r\n")
                    return
                else:
                    conn.sendall(b"250 ok\r\n")
