"""Fonts of the record-book PDF: AR PL UMing TW (Taiwan glyph forms), embedded and subset by ReportLab.

Rare name characters: UMing covers about 24,500 characters, not CJK Extension B (`𠀋`, `𡘙` …) where
many household-registration name characters live. For every character UMing lacks we look in the
fallback fonts, in order — by default the government's CNS 11643 全字庫 TW-Sung family (Debian
`fonts-cns11643-sung`), loaded only when a book needs it. A character that no installed font has is
kept in the text (searchable, copyable) and drawn as the font's empty glyph; a warning is logged.

ReportLab 5 writes a ToUnicode entry for a character above U+FFFF as five or six hex digits
(`<2000B>`), which readers misread; `_TrueTypeFont` rewrites those entries as UTF-16 surrogate pairs
so that the text of such a name can be extracted and searched.
"""

import functools
import logging
import re
import threading
from pathlib import Path

from django.conf import settings
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

logger = logging.getLogger(__name__)

MAIN = "UMingTW"
MAIN_SUBFONT = 2  # the .ttc holds UMing CN, HK, TW, TW MBE…; index 2 is the TW face

_lock = threading.Lock()
_fallbacks = None  # [(font name, path, loaded TTFont or None)]
_widths = {}  # char -> width at 1 pt in the main font


class FontMissing(RuntimeError):
    pass


_BFCHAR = re.compile(r"<([0-9A-F]{2})> <([0-9A-F]{5,6})>")


def _surrogates(match):
    code = int(match.group(2), 16) - 0x10000
    return f"<{match.group(1)}> <{0xD800 + (code >> 10):04X}{0xDC00 + (code & 0x3FF):04X}>"


class _TrueTypeFont(TTFont):
    """TTFont whose ToUnicode map spells characters above U+FFFF as UTF-16 surrogate pairs."""

    def addObjects(self, doc):
        before = set(doc.idToObject)
        super().addObjects(doc)
        for key in set(doc.idToObject) - before:
            if isinstance(key, str) and key.startswith("toUnicodeCMap:"):
                stream = doc.idToObject[key]
                stream.content = _BFCHAR.sub(_surrogates, stream.content)


def main_path():
    return settings.RECORDBOOK_FONT


def register():
    """Register the main font once per process (thread-safe); raise FontMissing if it is not installed."""
    if MAIN in pdfmetrics.getRegisteredFontNames():
        return MAIN
    with _lock:
        if MAIN in pdfmetrics.getRegisteredFontNames():
            return MAIN
        path = main_path()
        if not Path(path).exists():
            # zh-only: for the operator's log (the view logs it and shows the volunteer its own message)
            raise FontMissing(f"找不到字型 {path}（Debian 套件 fonts-arphic-uming）。")
        pdfmetrics.registerFont(_TrueTypeFont(MAIN, path, subfontIndex=MAIN_SUBFONT))
    return MAIN


def _main_font():
    register()
    return pdfmetrics.getFont(MAIN)


def has_glyph(char, font_name=MAIN):
    font = _main_font() if font_name == MAIN else pdfmetrics.getFont(font_name)
    return ord(char) in font.face.charToGlyph


def _fallback_table():
    global _fallbacks
    if _fallbacks is None:
        with _lock:
            if _fallbacks is None:
                paths = settings.RECORDBOOK_FALLBACK_FONTS
                _fallbacks = [[f"Fallback{i}", path, None] for i, path in enumerate(paths) if Path(path).exists()]
    return _fallbacks


def fallback_for(char):
    """The name of a registered font that has `char`, loading fallback fonts lazily; None if none has it."""
    code = ord(char)
    for entry in _fallback_table():
        name, path, font = entry
        if font is None:
            with _lock:
                if entry[2] is None:
                    try:
                        entry[2] = _TrueTypeFont(name, path)
                        pdfmetrics.registerFont(entry[2])
                    except Exception:  # a broken font file must not break every PDF
                        logger.exception("cannot load fallback font %s", path)
                        entry[2] = False
                font = entry[2]
        if font and code in font.face.charToGlyph:
            return name
    return None


def runs(text):
    """Split text into [(font name, piece)] so that every character is drawn by a font that has it."""
    font = _main_font()
    glyphs = font.face.charToGlyph
    if all(ord(c) in glyphs for c in text):
        return [(MAIN, text)]
    pieces = []
    for char in text:
        name = MAIN
        if ord(char) not in glyphs and not char.isspace():
            name = fallback_for(char)
            if name is None:
                logger.warning("no installed font has %r (U+%04X); it prints as an empty box", char, ord(char))
                name = MAIN
        if pieces and pieces[-1][0] == name:
            pieces[-1][1] += char
        else:
            pieces.append([name, char])
    return [(name, piece) for name, piece in pieces]


@functools.lru_cache(maxsize=8192)
def needs_fallback(text):
    glyphs = _main_font().face.charToGlyph
    return any(ord(c) not in glyphs for c in text if not c.isspace())


def width(text, size):
    """Width in points of text in the main font (fallback characters count as one em)."""
    font = _main_font()
    total = 0.0
    for char in text:
        w = _widths.get(char)
        if w is None:
            w = font.stringWidth(char, 1) if ord(char) in font.face.charToGlyph else 1.0
            _widths[char] = w
        total += w
    return total * size


@functools.lru_cache(maxsize=8192)
def wrap(text, max_width, size):
    """Greedy line breaking by characters (CJK needs no spaces). Keeps explicit newlines, and breaks a
    date range after its tilde (`115/03/01~` / `115/03/30`) or Latin text at a space when it can."""
    if "\n" not in text and width(text, size) <= max_width:
        return (text,)
    lines = []
    for paragraph in str(text).split("\n"):
        line, line_width, widths = "", 0.0, []
        for char in paragraph:
            w = _widths.get(char)
            if w is None:
                width(char, 1)
                w = _widths[char]
            w *= size
            if line and line_width + w > max_width:
                cut = max(line.rfind("~"), line.rfind(" "))
                if cut > 0:
                    lines.append(line[: cut + 1].rstrip())
                    line, widths = line[cut + 1 :], widths[cut + 1 :]
                    line_width = sum(widths)
                else:
                    lines.append(line)
                    line, line_width, widths = "", 0.0, []
                if char == " " and not line:
                    continue
            line += char
            widths.append(w)
            line_width += w
        lines.append(line)
    return tuple(lines)


def draw_text(canv, x, y, text, size, align="left"):
    """One line on a ReportLab canvas in the main font, each character UMing lacks in its fallback;
    `align` "left", "centre" or "right" of x."""
    pieces = runs(text)
    widths = [canv.stringWidth(piece, name, size) for name, piece in pieces]
    if align == "centre":
        x -= sum(widths) / 2
    elif align == "right":
        x -= sum(widths)
    for (name, piece), w in zip(pieces, widths, strict=True):
        canv.setFont(name, size)
        canv.drawString(x, y, piece)
        x += w


def draw_paragraph(canv, x, y, text, size, room, leading):
    """`text` wrapped to `room` points from (x, y) down; returns the y below the last line."""
    for line in wrap(text, room, size):
        draw_text(canv, x, y, line, size)
        y -= leading
    return y


def a4_canvas(out, title, subject):
    """A ReportLab canvas on A4 portrait writing to `out`, in the main font, with the PDF's title and subject."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas as pdfcanvas

    register()
    canv = pdfcanvas.Canvas(out, pagesize=A4, initialFontName=MAIN, lang="zh-TW")
    canv.setTitle(title)
    canv.setSubject(subject)
    return canv
