"""JavaScript rendering is sealed: page scripts reach the network only through the guarded fetcher."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable

from brandtruth.config import Settings
from brandtruth.stages.extract.js_render import render_page
from brandtruth.web.fetcher import Fetcher
from tests.support.pages import html_page


class _Listener:
    """A UDP socket and a TCP server on 127.0.0.1 that record whatever reaches them."""

    def __init__(self) -> None:
        self.datagrams: list[bytes] = []
        self.connections = 0

    async def __aenter__(self) -> _Listener:
        loop = asyncio.get_running_loop()
        listener = self

        class _Udp(asyncio.DatagramProtocol):
            def datagram_received(self, data: bytes, addr: tuple[str | object, int]) -> None:
                listener.datagrams.append(data)

        self._udp, _ = await loop.create_datagram_endpoint(_Udp, local_addr=("127.0.0.1", 0), family=socket.AF_INET)
        self.udp_port = self._udp.get_extra_info("sockname")[1]

        async def _accepted(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            self.connections += 1
            writer.close()

        self._tcp = await asyncio.start_server(_accepted, "127.0.0.1", 0)
        self.tcp_port = self._tcp.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *_: object) -> None:
        self._udp.close()
        self._tcp.close()
        await self._tcp.wait_closed()


def _page_opening_webrtc(udp_port: int, tcp_port: int) -> str:
    return f"""<!doctype html><html><head><title>Acme</title></head><body><h1>Acme</h1>
<p id="rtc">unset</p>
<script>
  const out = document.getElementById("rtc");
  out.textContent = typeof RTCPeerConnection + "/" + typeof webkitRTCPeerConnection;
  try {{
    const pc = new RTCPeerConnection({{iceServers: [
      {{urls: "stun:127.0.0.1:{udp_port}"}},
      {{urls: "turn:127.0.0.1:{tcp_port}?transport=tcp", username: "u", credential: "p"}},
      {{urls: "turn:127.0.0.1:{udp_port}?transport=udp", username: "u", credential: "p"}},
    ]}});
    pc.createDataChannel("leak");
    pc.createOffer().then((offer) => pc.setLocalDescription(offer));
    out.textContent += " opened";
  }} catch (err) {{
    out.textContent += " refused";
  }}
</script></body></html>"""


async def test_page_script_cannot_open_webrtc(make_settings: Callable[..., Settings]) -> None:
    async with _Listener() as listener:
        settings = make_settings(allowed_hosts="127.0.0.1", BRANDTRUTH_RENDER_JS=True)
        html = _page_opening_webrtc(listener.udp_port, listener.tcp_port)
        url = f"http://127.0.0.1:{listener.tcp_port}/"
        page = html_page(html, url)
        async with Fetcher(settings, budget_seconds=20) as fetcher:
            rendered = await render_page(page, fetcher, settings)
            await asyncio.sleep(2.0)  # ICE gathering would have sent by now
        assert "<h1>Acme</h1>" in rendered.html
        assert listener.datagrams == [], f"STUN/TURN datagrams leaked: {len(listener.datagrams)}"
        assert listener.connections == 0, "a TURN/TCP connection leaked"
        assert "undefined/undefined" in rendered.html, "RTCPeerConnection is removed before page scripts run"
