"""Reading built HTML in tests: a small DOM to find elements and their text, and the URLs a browser
would fetch on its own while loading a page or a style sheet."""
from __future__ import annotations

import re
from html.parser import HTMLParser


class Element:
    def __init__(self, tag: str, attrs: dict[str, str], parent: Element | None) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Element | str] = []

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> list[Element]:
        return [e for e in self.iter() if (tag is None or e.tag == tag) and (cls is None or cls in e.classes)
                and all(e.attrs.get(k.rstrip("_").replace("_", "-")) == v for k, v in attrs.items())]

    def find(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> Element | None:
        found = self.find_all(tag, cls, **attrs)
        return found[0] if found else None

    def text(self) -> str:
        parts = [c if isinstance(c, str) else c.text() for c in self.children]
        return re.sub(r"\s+", " ", "".join(parts)).strip()

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class DomBuilder(HTMLParser):
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = self.current = Element("#document", {}, None)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(element)
        if tag not in self.VOID:
            self.current = element

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(Element(tag, {k: v or "" for k, v in attrs}, self.current))

    def handle_endtag(self, tag: str) -> None:
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse(html: str) -> Element:
    builder = DomBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


class ResourceCollector(HTMLParser):
    """Collect every URL a browser would fetch on its own while loading the page."""

    LOADING_LINK_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "preconnect", "dns-prefetch",
                         "preload", "prefetch", "modulepreload", "manifest", "mask-icon"}

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str]] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag in {"script", "img", "iframe", "audio", "video", "source", "embed", "track", "input"} and a.get("src"):
            self.urls.append((tag, a["src"]))
        if tag in {"img", "source"} and a.get("srcset"):
            self.urls += [(tag, part.strip().split()[0]) for part in a["srcset"].split(",") if part.strip()]
        if tag == "object" and a.get("data"):
            self.urls.append((tag, a["data"]))
        if tag == "link" and set(a.get("rel", "").lower().split()) & self.LOADING_LINK_RELS:
            self.urls.append((f"link rel={a.get('rel')}", a.get("href", "")))
        if a.get("style"):
            self.urls += [("style attribute", u) for u in css_urls(a["style"])]
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.urls += [("<style>", u) for u in css_urls(data)]


def css_urls(css: str) -> list[str]:
    found = re.findall(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", css)
    found += re.findall(r"@import\s+['\"]([^'\"]+)['\"]", css)
    return found
