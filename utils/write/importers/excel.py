"""Helpers for reading official Excel workbooks exactly as downloaded.

* :func:`open_workbook` opens an ``.xlsx`` in openpyxl's fast read-only mode, and turns every way a file can fail
  to be a workbook (empty, truncated, a CSV, an image, an old ``.xls``, a SIPRI arms-transfers export) into a
  one-line :class:`SourceFormatError` instead of a traceback.
* :func:`rows_of` iterates a sheet's rows and reports a damaged sheet the same way.
* :class:`FontColours` tells which colour a cell's font has (publishers such as SIPRI mark estimates in blue and
  uncertain figures in red), whether the workbook gives the colour as RGB, as a legacy palette index or as a
  theme slot.
* :func:`drawing_texts` returns the text of the workbook's text boxes (SIPRI puts its citation there, where
  openpyxl does not look).
"""

from __future__ import annotations

import html
import re
import warnings
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from typing import Any, Iterator

from utils.write.importers import SourceFormatError

_ZIP_MAGIC = b"PK\x03\x04"
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls, or an encrypted .xlsx
#: Largest unpacked size accepted: SIPRI's Military Expenditure workbook unpacks to about 3 MB.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
_ARMS_MARKERS = ("SIPRI Arms Transfers Database", "Transfers of major conventional arms", "SIPRI TIV")


def column_letter(index: int) -> str:
    """Spreadsheet column letter of a 1-based column index (1 -> 'A', 28 -> 'AB')."""
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def looks_like_arms_export(text: str) -> bool:
    """True when ``text`` carries the markers of a SIPRI Arms Transfers Database export."""
    return any(marker.lower() in text.lower() for marker in _ARMS_MARKERS)


def _describe_non_workbook(path: Path, head: bytes) -> str:
    """Explain what a file that is not an .xlsx appears to be instead."""
    if head.startswith(_PNG_MAGIC):
        return "is a PNG image, not an Excel workbook (.xlsx)"
    if head[:3] == b"\xff\xd8\xff":
        return "is a JPEG image, not an Excel workbook (.xlsx)"
    if head.startswith(b"%PDF"):
        return "is a PDF document, not an Excel workbook (.xlsx)"
    if head.startswith(_OLE_MAGIC):
        return (
            "is an old-style .xls (or password-protected) workbook; expected an .xlsx: "
            "open it in a spreadsheet program and save it as .xlsx"
        )
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = head.decode("latin-1")
        except UnicodeDecodeError:  # pragma: no cover - latin-1 decodes every byte
            text = ""
    if text and looks_like_arms_export(text):
        return (
            "is a SIPRI Arms Transfers Database export (CSV), not a Military Expenditure workbook; "
            "use `python -m utils.write.refresh arms FILE` for it"
        )
    if text and sum(ch.isprintable() or ch in "\r\n\t" for ch in text) > 0.95 * len(text):
        kind = "a CSV file" if ("," in text or ";" in text) else "a text file"
        return f"is {kind}, not an Excel workbook (.xlsx)"
    return "is not an Excel workbook (.xlsx): its content is not a zip archive"


def open_workbook(path: Path):
    """Open ``path`` read-only with openpyxl, or raise a one-line :class:`SourceFormatError` saying why not."""
    import openpyxl

    path = Path(path)
    if not path.exists():
        raise SourceFormatError(path, "no such file")
    if path.is_dir():
        raise SourceFormatError(path, "is a folder; expected an Excel workbook (.xlsx)")
    size = path.stat().st_size
    if size == 0:
        raise SourceFormatError(path, "the file is empty (0 bytes); expected an Excel workbook (.xlsx)")
    with path.open("rb") as handle:
        head = handle.read(4096)
    if not head.startswith(_ZIP_MAGIC):
        raise SourceFormatError(path, _describe_non_workbook(path, head))
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise SourceFormatError(
            path, f"the workbook is damaged or truncated ({size:,} bytes; the zip archive cannot be read: {error})"
        ) from None
    if "xl/workbook.xml" not in names:
        raise SourceFormatError(path, "is a zip archive but not an Excel workbook (no xl/workbook.xml inside)")
    if unpacked > MAX_UNPACKED_BYTES:
        # Refused before openpyxl inflates it: memory stays bounded whatever the archive claims to hold.
        raise SourceFormatError(
            path, f"the workbook unpacks to {unpacked / 1024**2:,.0f} MB; expected an official workbook, which "
            f"unpacks to a few MB (limit {MAX_UNPACKED_BYTES // 1024**2} MB)"
        )
    try:
        with warnings.catch_warnings():
            # SIPRI's Apache POI files lack a default style; openpyxl warns and applies its own, which is harmless.
            warnings.simplefilter("ignore", UserWarning)
            return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds (KeyError, XML errors, zlib errors) for broken parts
        raise SourceFormatError(
            path, f"the workbook is damaged or truncated and cannot be opened ({type(error).__name__}: {error})"
        ) from None


def rows_of(path: Path, sheet, **kwargs: Any) -> Iterator[tuple]:
    """Rows of a read-only worksheet (``sheet.iter_rows(**kwargs)``), reporting a damaged sheet clearly.

    Read-only worksheets are parsed lazily, so a truncated file often fails only here, mid-sheet. Only the errors
    raised while openpyxl parses are caught: errors raised by the caller's own loop body pass through unchanged.
    """
    iterator = sheet.iter_rows(**kwargs)
    row_number = kwargs.get("min_row", 1) - 1
    while True:
        try:
            row = next(iterator)
        except StopIteration:
            return
        except Exception as error:
            raise SourceFormatError(
                path,
                f"the sheet is damaged or truncated after row {row_number} and cannot be read "
                f"({type(error).__name__}: {error})",
                sheet=sheet.title,
            ) from None
        row_number += 1
        yield row


class FontColours:
    """Classify font colours of cells in one workbook as ``"blue"``, ``"red"`` or ``None`` (anything else)."""

    def __init__(self, workbook) -> None:
        self._theme = _theme_colours(getattr(workbook, "loaded_theme", None))
        self._cache: dict[tuple, str | None] = {}

    def of(self, cell) -> str | None:
        """``"blue"``, ``"red"`` or ``None`` for the font colour of a (read-only) cell."""
        font = getattr(cell, "font", None)
        colour = getattr(font, "color", None) if font is not None else None
        if colour is None:
            return None
        key = (colour.type, colour.rgb if colour.type == "rgb" else colour.indexed if colour.type == "indexed" else colour.theme)
        if key not in self._cache:
            self._cache[key] = _classify(self._rgb(colour))
        return self._cache[key]

    def _rgb(self, colour) -> str | None:
        from openpyxl.styles.colors import COLOR_INDEX

        if colour.type == "rgb" and isinstance(colour.rgb, str):
            return colour.rgb[-6:]
        if colour.type == "indexed" and isinstance(colour.indexed, int) and colour.indexed < len(COLOR_INDEX):
            return COLOR_INDEX[colour.indexed][-6:]
        if colour.type == "theme" and isinstance(colour.theme, int):
            return self._theme.get(colour.theme)
        return None


def _classify(rgb: str | None) -> str | None:
    """Name the hue of a hex colour: clearly blue, clearly red, or neither (black, grey, green ...)."""
    if not rgb or not re.fullmatch(r"[0-9A-Fa-f]{6}", rgb):
        return None
    red, green, blue = (int(rgb[i : i + 2], 16) for i in (0, 2, 4))
    if blue >= 128 and red < 110 and green < 150:
        return "blue"
    if red >= 160 and green < 100 and blue < 100:
        return "red"
    return None


def _theme_colours(theme_xml: bytes | str | None) -> dict[int, str]:
    """Hex colour of each theme slot, numbered as cell styles number them.

    Styles count 0 = light 1, 1 = dark 1, 2 = light 2, 3 = dark 2, then accents 1-6 and the two hyperlink
    colours, while the theme file lists dark before light: hence the swap below.
    """
    if not theme_xml:
        return {}
    try:
        root = ET.fromstring(theme_xml)
    except ET.ParseError:
        return {}
    namespace = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    scheme = root.find(f".//{namespace}clrScheme")
    if scheme is None:
        return {}
    colours = []
    for slot in scheme:
        value = None
        for child in slot:
            value = child.get("val") if child.tag.endswith("srgbClr") else child.get("lastClr")
        colours.append(value)
    if len(colours) >= 4:
        colours[0], colours[1], colours[2], colours[3] = colours[1], colours[0], colours[3], colours[2]
    return {index: value for index, value in enumerate(colours) if value}


def drawing_texts(path: Path) -> list[str]:
    """The text of every drawing (text box) in the workbook, one string per drawing."""
    texts = []
    try:
        with zipfile.ZipFile(path) as archive:
            for name in sorted(archive.namelist()):
                if name.startswith("xl/drawings/") and name.endswith(".xml"):
                    xml = archive.read(name).decode("utf-8", errors="replace")
                    # Runs of one text box are joined without spaces: Excel may split a word across runs.
                    texts.append(html.unescape("".join(re.findall(r"<a:t>([^<]*)</a:t>", xml))))
    except (zipfile.BadZipFile, OSError, EOFError, KeyError) as error:
        raise SourceFormatError(path, f"the workbook is damaged or truncated ({error})") from None
    return texts
