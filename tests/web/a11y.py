"""Structural checks of a page: what a screen reader and a keyboard need."""

from html.parser import HTMLParser


class Page(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.stack: list[tuple[str, dict]] = []
        self.tags: list[tuple[str, dict, tuple[str, ...]]] = []  # tag, attrs, enclosing tags
        self.label_for: set[str] = set()
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs, tuple(t for t, _ in self.stack)))
        if tag == "label" and attrs.get("for"):
            self.label_for.add(attrs["for"])
        if tag not in ("input", "meta", "link", "br", "img", "hr"):
            self.stack.append((tag, attrs))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def all(self, tag):
        return [(a, enclosing) for t, a, enclosing in self.tags if t == tag]


def problems(html: str, *, signed_in: bool = True) -> list[str]:
    page = Page(html)
    out = []
    root = page.all("html")[0][0]
    if not root.get("lang") or root.get("dir") not in ("ltr", "rtl"):
        out.append("html without lang and dir")
    for landmark in ("header", "nav", "main") if signed_in else ("header", "main"):
        if not page.all(landmark):
            out.append(f"no <{landmark}>")
    if len(page.all("main")) != 1:
        out.append("not exactly one <main>")
    if not any(a.get("href") == "#main" for a, _ in page.all("a")):
        out.append("no skip link to #main")
    if len(page.all("h1")) != 1:
        out.append("not exactly one <h1>")
    for tag in ("input", "select", "textarea"):
        for attrs, enclosing in page.all(tag):
            if attrs.get("type") in ("hidden", "submit"):
                continue
            if attrs.get("id") in page.label_for or "label" in enclosing:
                continue
            out.append(f"<{tag} name={attrs.get('name')!r}> has no label")
    for attrs, enclosing in page.all("th"):
        if "thead" in enclosing and attrs.get("scope") != "col":
            out.append("a column header without scope=col")
        if "tbody" in enclosing and attrs.get("scope") != "row":
            out.append("a row header without scope=row")
    for attrs, _ in page.all("button"):
        if attrs.get("type") not in ("submit", "button"):
            out.append("a button without a type")
    return out
