"""Reading a PDF in tests as a person and a printer would: its text, its fonts, page 1 as an image."""

import io
import subprocess

import pdfplumber


class Pdf:
    """A PDF as a reader sees it: the text of each page, the fonts, page 1 as an image."""

    def __init__(self, data):
        self.data = data
        with pdfplumber.open(io.BytesIO(data)) as document:
            self.pages = [page.extract_text() or "" for page in document.pages]
            # Table rows per page, each cell with its wrapped lines joined again.
            self.page_rows = [
                [tuple("".join((cell or "").split()) for cell in row)
                 for table in page.extract_tables() for row in table]
                for page in document.pages
            ]
            self.fontnames = {char["fontname"] for page in document.pages for char in page.chars}

    @property
    def rows(self):
        return [row for page in self.page_rows for row in page]

    @property
    def text(self):
        return "\n".join(self.pages)

    def flat(self, number=None):
        """Text with line breaks removed (wrapped cells join up again)."""
        text = self.text if number is None else self.pages[number - 1]
        return "".join(text.split())


def pdffonts(data, tmp_path):
    """[(name, type, embedded, subset)] as poppler's pdffonts reports them."""
    path = tmp_path / "book.pdf"
    path.write_bytes(data)
    output = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    rows = []
    for line in output.splitlines()[2:]:
        parts = line.split()
        # name type [type2] encoding emb sub uni object ID
        rows.append((parts[0], parts[1], parts[-5], parts[-4]))
    return rows


def render_page_png(data, tmp_path, page=1):
    path = tmp_path / "book.pdf"
    path.write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "50", "-f", str(page), "-l", str(page), "-png", str(path),
                    str(tmp_path / "page")], check=True)
    return next(tmp_path.glob("page*.png"))
