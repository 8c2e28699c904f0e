"""What a page costs, as the quality budgets count it (docs/quality-budgets.md).

- requests: every HTTP request the page makes, redirects included;
- transferred size: what the wire would carry from a compressing server. The live server
  does not compress, so for each response the body of a text type (HTML, CSS, JavaScript,
  JSON, SVG, XML, plain text) is gzipped here (level 6, the common default of reverse
  proxies), other bodies count as they are, plus the status line and headers;
- DOM elements: every element, minus those inside inline SVG;
- third-party requests: any request to a host other than the site's own.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError

from .ecoindex import EcoIndex

MAX_KB = 40
MAX_REQUESTS = 6
MAX_DOM = 400
MIN_SCORE = 80

COMPRESSIBLE_TYPES = {
    "application/javascript",
    "application/x-javascript",
    "application/ecmascript",
    "application/json",
    "application/xml",
    "application/xhtml+xml",
    "image/svg+xml",
}
NOT_NETWORK = ("data:", "blob:", "about:")
GZIP_HEADER = "Content-Encoding: gzip\r\n"


def is_compressible(content_type: str) -> bool:
    kind = content_type.split(";")[0].strip().lower()
    return (
        kind.startswith("text/") or kind in COMPRESSIBLE_TYPES or kind.endswith(("+json", "+xml"))
    )


def response_bytes(response: Any) -> int:
    """Bytes a compressing server would send for this response: status line, headers, body."""
    headers = response.headers_array()
    size = len(f"HTTP/1.1 {response.status} {response.status_text}\r\n") + 2
    size += sum(len(f"{h['name']}: {h['value']}\r\n") for h in headers)
    try:
        body = response.body()
    except PlaywrightError:  # a redirect has no body to read
        body = b""
    content_type = next((h["value"] for h in headers if h["name"].lower() == "content-type"), "")
    if body and is_compressible(content_type):
        body = gzip.compress(body, compresslevel=6, mtime=0)
        size += len(GZIP_HEADER)
    return size + len(body)


@dataclass
class Figures:
    dom: int
    requests: int
    bytes: int
    third_party: list[str]

    @property
    def kb(self) -> float:
        return self.bytes / 1000

    @property
    def ecoindex(self) -> EcoIndex:
        return EcoIndex(self.dom, self.requests, self.kb)

    def over_budget(self) -> list[str]:
        over = []
        if self.kb > MAX_KB:
            over.append(f"transferred {self.kb:.1f} KB > {MAX_KB} KB")
        if self.requests > MAX_REQUESTS:
            over.append(f"{self.requests} requests > {MAX_REQUESTS}")
        if self.dom > MAX_DOM:
            over.append(f"{self.dom} DOM elements > {MAX_DOM}")
        if self.ecoindex.score < MIN_SCORE:
            over.append(f"EcoIndex {self.ecoindex.score} < {MIN_SCORE}")
        return over


@dataclass
class Recorder:
    """Listens to a Playwright page's requests from before a navigation until stopped."""

    page: Any
    site_url: str
    requests: list[Any] = field(default_factory=list)
    listening: bool = True

    def __post_init__(self) -> None:
        self.page.on("request", self._on_request)

    def _on_request(self, request: Any) -> None:
        if not request.url.startswith(NOT_NETWORK):
            self.requests.append(request)

    def stop(self) -> None:
        if self.listening:
            self.page.remove_listener("request", self._on_request)
            self.listening = False

    def figures(self) -> Figures:
        self.stop()
        own = urlsplit(self.site_url).netloc
        third_party = sorted({r.url for r in self.requests if urlsplit(r.url).netloc != own})
        # request.response() waits for the response: Playwright may report a stylesheet's
        # response after the page's load event, so the response events are not enough.
        responses = [response for r in self.requests if (response := r.response()) is not None]
        return Figures(
            dom=dom_elements(self.page),
            requests=len(self.requests),
            bytes=sum(response_bytes(r) for r in responses),
            third_party=third_party,
        )


def dom_elements(page: Any) -> int:
    """Elements of the page, minus those inside inline SVG (which are drawing, not structure)."""
    return page.locator("*").count() - page.locator("svg *").count()


# Every element with an id, closed <details> and hidden forms included: axe checks only what is
# rendered, so two forms folded away with the same field ids would pass it.
DUPLICATE_IDS = """() => {
    const seen = new Map();
    for (const element of document.querySelectorAll("[id]")) {
        seen.set(element.id, (seen.get(element.id) || 0) + 1);
    }
    return [...seen].filter(([, count]) => count > 1)
        .map(([id, count]) => `${id} (${count} times)`);
}"""


def duplicate_ids(page: Any) -> list[str]:
    """The ids that more than one element of the page carries."""
    return list(page.evaluate(DUPLICATE_IDS))


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def run_axe(page: Any, axe_source: str, rules: list[str] | None = None) -> list[dict[str, Any]]:
    """The axe-core violations of the page for the WCAG 2.0/2.1 A and AA tags.

    axe is evaluated through the DevTools protocol, which the page's CSP does not govern, so
    the page itself keeps its strict CSP.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)
    run_only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": AXE_TAGS}
    options = {"runOnly": run_only, "resultTypes": ["violations"]}
    results = page.evaluate("options => axe.run(document, options)", options)
    return results["violations"]


def describe_violations(violations: list[dict[str, Any]], label: str = "") -> list[str]:
    lines = []
    for violation in violations:
        lines.append(
            f"axe{label} {violation['id']} ({violation.get('impact')}): {violation['help']}"
            f" — {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    at {target}: {summary}")
            lines.append(f"       {node.get('html', '')[:200]}")
    return lines
