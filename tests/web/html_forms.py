"""What a browser would post from a page's form, read from the HTML: text, hidden and date inputs
with their values, ticked boxes, each select's selected option (else its first), textareas (less
the newline that follows the tag). Submit buttons are left out: a test adds the one it clicks."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_id: str | None):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = form_id is None
        self.data: dict[str, list[str]] = {}
        self.select: str | None = None
        self.options: list[tuple[str, bool]] = []
        self.option: dict | None = None
        self.textarea: str | None = None
        self.text: list[str] = []
        self.found = form_id is None

    def _add(self, name: str, value: str) -> None:
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and self.form_id is not None and a.get("id") == self.form_id:
            self.inside = self.found = True
            return
        if not self.inside or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "reset", "image", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._add(name, a.get("value") or "on")
                return
            self._add(name, a.get("value") or "")
        elif tag == "select" and name:
            self.select, self.options = name, []
        elif tag == "option" and self.select is not None:
            self.option = {"value": a.get("value"), "selected": "selected" in a, "text": ""}
        elif tag == "textarea" and name:
            self.textarea, self.text = name, []

    def handle_data(self, data):
        if self.option is not None:
            self.option["text"] += data
        if self.textarea is not None:
            self.text.append(data)

    def handle_endtag(self, tag):
        if tag == "form" and self.form_id is not None and self.inside:
            self.inside = False
        elif tag == "option" and self.option is not None:
            value = self.option["value"] if self.option["value"] is not None else self.option["text"].strip()
            self.options.append((value, self.option["selected"]))
            self.option = None
        elif tag == "select" and self.select is not None:
            chosen = [v for v, selected in self.options if selected] or [v for v, _ in self.options[:1]]
            for value in chosen:
                self._add(self.select, value)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            text = "".join(self.text)
            self._add(self.textarea, text[1:] if text.startswith("\n") else text)
            self.textarea = None


def form_data(html: str, form_id: str | None = "rulebook-form") -> dict[str, list[str]]:
    """name → values, as the form with this id would post them (None: every field of the HTML)."""
    reader = _FormReader(form_id)
    reader.feed(html)
    reader.close()
    assert reader.found, f"no form #{form_id} in the page"
    return reader.data


def single(data: dict[str, list[str]]) -> dict:
    """Django's test client posts a list as repeated values: lists of one become plain values."""
    return {k: v[0] if len(v) == 1 else v for k, v in data.items()}
