"""The browser tests' accessibility checks: axe-core inside the page, and no sideways scrolling on a phone."""

from axe_playwright_python.sync_playwright import Axe

PHONE = {"width": 360, "height": 740}

_axe = Axe()


def violations(page):
    """axe-core's findings on the page as it is now: [(rule id, impact, [CSS target, …]), …]."""
    results = _axe.run(page)
    return [(v["id"], v["impact"], [", ".join(node["target"]) for node in v["nodes"]])
            for v in results.response["violations"]]


def assert_accessible(page, what=""):
    results = _axe.run(page)
    assert results.violations_count == 0, f"{what or page.url}\n{results.generate_report()}"


# The outermost elements that reach past the right edge of the screen (not those scrolling inside a region).
_TOO_WIDE = """width => {
    const past = e => e.getBoundingClientRect().right > width + 0.5;
    const scrolls = e => e && e !== document.body
        && (getComputedStyle(e).overflowX !== "visible" || scrolls(e.parentElement));
    return [...document.querySelectorAll("body *")]
        .filter(e => past(e) && !past(e.parentElement) && !scrolls(e.parentElement))
        .slice(0, 5).map(e => e.outerHTML.slice(0, 120));
}"""


def assert_fits_the_width(page, width=PHONE["width"], what=""):
    scrolled = page.evaluate("document.documentElement.scrollWidth")
    assert scrolled <= width, (f"{what or page.url} is {scrolled} px wide on a {width} px screen: "
                               f"{page.evaluate(_TOO_WIDE, width)}")
    overflowing = page.evaluate(_CARD_TOO_NARROW)
    assert not overflowing, f"{what or page.url}: on a {width} px screen these cards cut their values: {overflowing}"


# The cells of a table shown as cards on a phone whose value is wider than the card (cut at its edge, or only
# seen by scrolling the whole list sideways).
_CARD_TOO_NARROW = """() => [...document.querySelectorAll(".table--stack td, .table--stack tfoot th")]
    .filter(cell => getComputedStyle(cell).display !== "table-cell" && cell.scrollWidth > cell.clientWidth + 1)
    .slice(0, 5).map(cell => `${cell.dataset.label || ""}: ${cell.textContent.trim().slice(0, 40)}`)"""
