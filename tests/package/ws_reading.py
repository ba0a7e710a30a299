#!/usr/bin/env python3
"""A minimal RFC 6455 client (python3's standard library only) for arm64_test.sh smoke:
connects to ws://127.0.0.1:PORT/ws, subscribes to room sensor:ID, writes "subscribed" to
READY_FILE once the bridge acknowledged, then waits for a sensor.reading of ID and prints its
payload as one line of JSON. Exit 0: got one; 1: anything else (closed, error, timeout).
Usage: ws_reading.py PORT SENSOR_ID READY_FILE TIMEOUT_SECONDS"""
import base64, json, os, socket, struct, sys, time


def send_text(sock, text):
    data = text.encode()
    mask = os.urandom(4)
    n = len(data)
    head = bytes([0x81])  # FIN, text
    if n < 126:
        head += bytes([0x80 | n])
    elif n < 65536:
        head += bytes([0x80 | 126]) + struct.pack("!H", n)
    else:
        head += bytes([0x80 | 127]) + struct.pack("!Q", n)
    sock.sendall(head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))


def read_exact(sock, buf, n, deadline):
    while len(buf) < n:
        sock.settimeout(max(0.05, deadline - time.monotonic()))
        chunk = sock.recv(65536)
        if not chunk:
            raise EOFError("connection closed")
        buf += chunk
    return buf


def frames(sock, buf, deadline):
    """Yields (opcode, payload) of whole messages (fragments joined)."""
    message, message_op = b"", None
    while time.monotonic() < deadline:
        buf = read_exact(sock, buf, 2, deadline)
        fin, op, n = buf[0] & 0x80, buf[0] & 0x0F, buf[1] & 0x7F
        pos = 2
        if n == 126:
            buf = read_exact(sock, buf, 4, deadline)
            n, pos = struct.unpack("!H", buf[2:4])[0], 4
        elif n == 127:
            buf = read_exact(sock, buf, 10, deadline)
            n, pos = struct.unpack("!Q", buf[2:10])[0], 10
        buf = read_exact(sock, buf, pos + n, deadline)  # the server does not mask
        payload, buf = buf[pos:pos + n], buf[pos + n:]
        if op == 0x9:  # ping: answer, masked like every client frame
            mask = os.urandom(4)
            sock.sendall(bytes([0x8A, 0x80 | len(payload)]) + mask +
                         bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
            continue
        if op == 0x8:
            raise EOFError("close frame from the server")
        if op in (0x1, 0x2):
            message, message_op = payload, op
        elif op == 0x0:
            message += payload
        else:
            continue
        if fin:
            yield message_op, message
    raise TimeoutError("no sensor.reading in time")


def main():
    port, sensor_id, ready_file, timeout = int(sys.argv[1]), sys.argv[2], sys.argv[3], float(sys.argv[4])
    deadline = time.monotonic() + timeout
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall((f"GET /ws HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                  f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    buf = b""
    while b"\r\n\r\n" not in buf:
        buf = read_exact(sock, buf, len(buf) + 1, deadline)
    head, buf = buf.split(b"\r\n\r\n", 1)
    if not head.startswith(b"HTTP/1.1 101"):
        print(f"ws_reading: upgrade refused: {head[:200]!r}", file=sys.stderr)
        return 1
    room = f"sensor:{sensor_id}"
    send_text(sock, json.dumps({"type": "subscribe", "id": "s1", "payload": {"room": room}}))
    for op, data in frames(sock, buf, deadline):
        msg = json.loads(data)
        kind = msg.get("type")
        if kind == "subscribed" and msg.get("payload", {}).get("room") == room:
            with open(ready_file, "w") as f:
                f.write("subscribed\n")
        elif kind == "error":
            print(f"ws_reading: error from the bridge: {data[:300]!r}", file=sys.stderr)
            return 1
        elif kind == "sensor.reading" and msg["payload"].get("sensorId") == sensor_id:
            print(json.dumps(msg["payload"]))
            return 0
    return 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (OSError, EOFError, TimeoutError, ValueError) as e:
        print(f"ws_reading: {type(e).__name__}: {e}", file=sys.stderr)
        sys.exit(1)
