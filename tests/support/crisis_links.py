"""Crisis numbers as the built pages must show them: the links data/crisis.yml gives, and the links an
element holds, each checked as it is read (visible digits are the digits dialled)."""
from __future__ import annotations

import re

import yaml

from tests.support.helpers import ROOT

CRISIS = yaml.safe_load((ROOT / "data" / "crisis.yml").read_text(encoding="utf-8"))["extra"]["crisis"]
SERVICES = [service for region in CRISIS["regions"] for service in region["services"]]


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def expected_links(services=SERVICES) -> set[str]:
    """The tel:/sms: targets the data file's services give, e.g. tel:116123, sms:85258?&body=SHOUT."""
    links = set()
    for service in services:
        if service.get("call"):
            links.add("tel:" + digits(service["call"]))
        if service.get("text"):
            word = service.get("text_word")
            links.add("sms:" + digits(service["text"]) + (f"?&body={word}" if word else ""))
    return links


def crisis_links(element) -> dict[str, list[str]]:
    """Every tel:/sms: link in `element`: its target and its visible text; each checked as it is read."""
    found: dict[str, list[str]] = {}
    for a in element.find_all("a"):
        href = a.attrs.get("href", "")
        if not href.startswith(("tel:", "sms:")):
            continue
        number = re.match(r"(?:tel|sms):(\+?\d+)", href)
        assert number, f"{href!r} does not dial a number"
        assert digits(a.text()) == digits(number.group(1)), f"{a.text()!r} shows other digits than {href!r} dials"
        word = re.search(r"[?&]body=([^&]*)", href)
        if word:
            assert word.group(1) in a.text(), f"{a.text()!r} does not say to send {word.group(1)!r}"
        found.setdefault(href, []).append(a.text())
    return found
