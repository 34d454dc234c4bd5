"""Markdown as HR writes it, rendered by Python-Markdown and sanitised by nh3 (Ammonia).

Nothing a user writes reaches a page as HTML without passing nh3's allow-list: raw HTML in the
Markdown is kept only as far as the list allows (no script, style, iframe, event handler or
javascript: URL), so a page may mark the result safe.
"""

import markdown as md
import nh3

ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s", "del", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "sup", "sub",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
MAX_BODY = 100_000


def render_markdown(text: str) -> str:
    """The sanitised HTML of `text` (Markdown with tables)."""
    html = md.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES)
