"""Workbooks built by hand with zipfile: the exact XML a test needs, streamed into the archive so that
a part may unpack to tens of megabytes while the file (and the test's memory) stays small."""

import zipfile
from collections.abc import Iterable

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"""
WORKBOOK = f"""<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="{NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="数据" sheetId="1" r:id="rId1"/></sheets></workbook>"""
RELS = """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>"""

Part = str | bytes | Iterable[bytes]


def inline_row(number: int, *cells: str) -> str:
    """A row of inline strings (no shared-string table needed)."""
    body = "".join(
        f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{text}</t></is></c>' for i, text in enumerate(cells)
    )
    return f'<row r="{number}">{body}</row>'


def sheet(rows: Iterable[str], *, dimension: str | None = None) -> str:
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}">{declared}<sheetData>{"".join(rows)}</sheetData></worksheet>'


def _write(archive: zipfile.ZipFile, name: str, part: Part) -> None:
    if isinstance(part, str):
        part = part.encode()
    if isinstance(part, bytes):
        archive.writestr(name, part)
        return
    with archive.open(name, "w") as out:
        for chunk in part:
            out.write(chunk)


def build_workbook(path, *, sheet_xml: Part, shared_strings: Part | None = None):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        _write(archive, "[Content_Types].xml", CONTENT_TYPES)
        _write(archive, "xl/workbook.xml", WORKBOOK)
        _write(archive, "xl/_rels/workbook.xml.rels", RELS)
        if shared_strings is not None:
            _write(archive, "xl/sharedStrings.xml", shared_strings)
        _write(archive, "xl/worksheets/sheet1.xml", sheet_xml)
    return path


def repeated(prefix: bytes, filler: bytes, size: int, suffix: bytes) -> Iterable[bytes]:
    """prefix, then `size` bytes of `filler` (1 MiB at a time), then suffix."""
    yield prefix
    block = filler * (1048576 // len(filler))
    left = size
    while left > 0:
        piece = block[: min(left, len(block))]
        left -= len(piece)
        yield piece
    yield suffix
