"""A loopback-only TCP proxy that adds a fixed delay each way and counts round trips.

It stands for the office network between riskdesk and a shared PostgreSQL server: every chunk is
delivered ``delay`` seconds after it arrived, in order. A round trip is counted each time the
client speaks after the server has answered (a request that waits for its reply). Bounded: at most
``max_connections`` at once, and it stops when the benchmark closes it.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any


class DelayProxy:
    def __init__(self, target_port: int, delay: float = 0.010, max_connections: int = 16) -> None:
        self.target_port = target_port
        self.delay = delay
        self.max_connections = max_connections
        self.round_trips = 0
        self.bytes_down = 0
        self.port = 0
        self._open = 0
        self._loop = asyncio.new_event_loop()
        self._server: Any = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="delay-proxy", daemon=True)

    def __enter__(self) -> DelayProxy:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the delay proxy did not start")
        return self

    def __exit__(self, *_exc: object) -> None:
        try:
            asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(10)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)

    async def _shutdown(self) -> None:
        self._server.close()
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def reset(self) -> None:
        self.round_trips = 0
        self.bytes_down = 0

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(
            asyncio.start_server(self._serve, "127.0.0.1", 0))  # loopback only
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        try:
            self._loop.run_forever()
        finally:
            self._server.close()
            self._loop.close()

    async def _serve(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        if self._open >= self.max_connections:
            client_w.close()
            return
        self._open += 1
        turn = {"side": "server"}
        try:
            server_r, server_w = await asyncio.open_connection("127.0.0.1", self.target_port)
            await asyncio.gather(self._pump(client_r, server_w, turn, up=True),
                                 self._pump(server_r, client_w, turn, up=False))
        except (ConnectionError, OSError):
            pass
        except asyncio.CancelledError:
            # Closed by the benchmark while connections were open: end quietly (asyncio's stream
            # callback otherwise prints the cancellation as an error on every run).
            pass
        finally:
            self._open -= 1
            if not self._loop.is_closed():
                client_w.close()

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, turn: dict[str, str], *,
                    up: bool) -> None:
        queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

        async def deliver() -> None:
            while True:
                due, data = await queue.get()
                if not data:
                    writer.close()
                    return
                await asyncio.sleep(max(0.0, due - self._loop.time()))
                writer.write(data)
                await writer.drain()

        sender = asyncio.ensure_future(deliver())
        try:
            while True:
                data = await reader.read(65536)
                if up and data and turn["side"] == "server":
                    self.round_trips += 1
                if data:
                    turn["side"] = "client" if up else "server"
                    if not up:
                        self.bytes_down += len(data)
                await queue.put((self._loop.time() + self.delay, data))
                if not data:
                    break
            await sender
        finally:
            sender.cancel()
