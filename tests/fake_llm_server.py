"""A scripted OpenAI-compatible chat server on loopback, for tests and manual end-to-end checks.

POST /v1/chat/completions answers in JSON, or in server-sent events (`data: {...}` chunks then
`data: [DONE]`) when the request has "stream": true. The reply is chosen by the request's model
name (or by `server.scenario` when set) and built from the passages found in the prompt, so a
"good" reply copies sentences that the cited passages really contain:

    good         two sentences copied from passages 1 and 2, cited [1] and [2]
    cite9        a good sentence [1], then a sentence citing [9] (not given)
    unsupported  a good sentence [1], then an invented sentence citing [1]
    uncited      a good sentence [1], then a sentence without any citation
    invented     only invented or uncited sentences (nothing checkable)
    refusal      the fixed refusal sentence (in the prompt's language)
    injection    obeys an injected instruction (an invented sentence), then a good sentence
    think        a <think>…</think> block, then the good reply
    error-401, error-403, error-404, error-429, error-500, error-503
                 that status, with an error body echoing the API key it received
    slow         waits `slow_s` seconds (3 by default), then the good reply
    malformed    200 with a body that is not JSON (or a broken SSE chunk when streamed)
    empty        200 with an empty message content
    cut          streamed: a few chunks, then the connection breaks mid-body

Requests without <passages> are condensation requests: they get `condense_reply` (failure
scenarios fail them too). Every request is recorded in `server.requests` (path, headers, body).

Run it by hand:  python tests/fake_llm_server.py --port 8089
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.answer import REFUSAL  # noqa: E402
from assistant.text import split_sentences  # noqa: E402

PASSAGE_RE = re.compile(r'<passage n="(\d+)"[^>]*>\n(.*?)\n</passage>', re.DOTALL)
INVENTED = "Les PETR ont été dissous en 2031 et remplacés par des agences privées de jardinage."
PIRATE = "Arrr, moussaillon : la coopération territoriale a été abolie et les pirates gouvernent les vallées."


def good_sentence(passage: str) -> str:
    """A sentence of the passage with enough words to be a claim, on one line."""
    spans = [passage[a:b] for a, b in split_sentences(passage)]
    for sentence in spans:
        if len(re.findall(r"\w+", sentence)) >= 6 and not sentence.rstrip().endswith(":"):
            return " ".join(sentence.split())
    return " ".join((spans[0] if spans else passage).split())


def _with_stop(sentence: str) -> str:
    return sentence if sentence.endswith((".", "!", "?")) else sentence + "."


def scripted_reply(scenario: str, messages: list[dict]) -> str:
    system = next((m["content"] for m in messages if m.get("role") == "system"), "")
    user = next((m["content"] for m in messages if m.get("role") == "user"), "")
    passages = {int(n): text for n, text in PASSAGE_RE.findall(user)}
    language = "en" if system.startswith("You ") else "fr"
    first = _with_stop(good_sentence(passages.get(1, "")))
    second = _with_stop(good_sentence(passages[2])) if 2 in passages else ""
    good = f"{first} [1]" + (f" {second} [2]" if second else "")
    if scenario == "good":
        return good
    if scenario == "think":
        return f"<think>Les passages parlent du PETR. Je dois citer [1].</think>\n{good}"
    if scenario == "cite9":
        return f"{first} [1] {second or first} [9]"
    if scenario == "unsupported":
        return f"{first} [1] {INVENTED} [1]"
    if scenario == "uncited":
        return f"{first} [1] Cette phrase ne cite aucun passage."
    if scenario == "invented":
        return f"{INVENTED} [1] Le reste n'est pas documenté."
    if scenario == "refusal":
        return REFUSAL[language]
    if scenario == "injection":
        return f"{PIRATE} [1] {first} [1]"
    return good


class FakeLLMServer:
    """ThreadingHTTPServer on 127.0.0.1 (port 0 = any free port), started in a daemon thread."""

    def __init__(self, port: int = 0):
        self.requests: list[dict] = []
        self.scenario: str | None = None  # overrides the model name when set
        self.condense_reply = "Quelles sont les missions d'un PETR ?"
        self.slow_s = 3.0
        server = self

        class Handler(_Handler):
            owner = server

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        self._thread: threading.Thread | None = None

    def start(self) -> "FakeLLMServer":
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> "FakeLLMServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    owner: FakeLLMServer

    def log_message(self, format, *args):  # keep test output quiet
        pass

    # -- helpers ----------------------------------------------------------------------------

    def _send_json(self, status: int, payload, raw: bytes | None = None) -> None:
        body = raw if raw is not None else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):X}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _event(self, payload) -> None:
        text = payload if isinstance(payload, str) else json.dumps(payload)
        self._chunk(f"data: {text}\n\n".encode())

    # -- endpoint ----------------------------------------------------------------------------

    def do_POST(self) -> None:
        try:
            self._answer()
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout, callback error)
            self.close_connection = True

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = {}
        self.owner.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
        if not self.path.rstrip("/").endswith("/chat/completions"):
            self._send_json(404, {"error": {"message": f"unknown path {self.path}"}})
            return
        model = body.get("model", "")
        scenario = self.owner.scenario or model
        messages = body.get("messages", [])
        user = next((m.get("content", "") for m in messages if m.get("role") == "user"), "")
        stream = bool(body.get("stream"))

        match = re.fullmatch(r"error-(\d{3})", scenario)
        if match:
            key = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
            self._send_json(int(match.group(1)), {"error": {"message": f"Refused for API key {key}", "type": "error", "code": match.group(1)}})
            return
        if scenario == "slow":
            time.sleep(self.owner.slow_s)
        if scenario == "malformed" and not stream:
            self._send_json(200, None, raw=b'{"id": "x", "choices": [ {"message": ')
            return
        if "<passages>" not in user:  # condensation request
            reply = self.owner.condense_reply
        elif scenario == "empty":
            reply = ""
        else:
            reply = scripted_reply(scenario, messages)
        if stream:
            self._stream(model, reply, scenario)
        else:
            self._send_json(200, {
                "id": "chatcmpl-fake", "object": "chat.completion", "created": 0, "model": model,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": reply}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
            })

    def _stream(self, model: str, reply: str, scenario: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Connection", "close")
        self.end_headers()

        def chunk(delta: dict, finish=None) -> dict:
            return {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0, "model": model,
                    "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}

        self._event(chunk({"role": "assistant", "content": ""}))
        pieces = [reply[i:i + 12] for i in range(0, len(reply), 12)]
        for i, piece in enumerate(pieces):
            if scenario == "malformed" and i == 2:
                self._chunk(b'data: {"id": "x", "choices": [ {"delta": \n\n')
                break
            if scenario == "cut" and i == 3:
                self.wfile.write(b"40\r\ndata: {\"id\"")  # a chunk announced longer than what is sent
                self.wfile.flush()
                self.close_connection = True
                return
            self._event(chunk({"content": piece}))
            time.sleep(0.005)
        self._event(chunk({}, finish="stop"))
        self._event("[DONE]")
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8089)
    parser.add_argument("--scenario", default=None, help="force a scenario whatever the model name")
    args = parser.parse_args()
    server = FakeLLMServer(args.port)
    server.scenario = args.scenario
    print(f"Fake OpenAI-compatible server on {server.base_url} (model name = scenario)", flush=True)
    try:
        server.httpd.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
