"""Joining translated pieces the way each language writes them.

Chinese lists use 、 and sentences follow each other without a space; English needs ", " and " ". The
joins are translated with a context, so the Chinese pages read exactly as they did before translation.
"""

from django.utils.translation import pgettext


def join_list(items):
    """["甲", "乙"] → `甲、乙` (English: `A, B`)."""
    return pgettext("list separator", "、").join(str(item) for item in items)


def join_sentences(sentences):
    """Whole sentences one after another: nothing between them in Chinese, a space in English."""
    text = ""
    for sentence in sentences:
        text = str(sentence) if not text else pgettext("two sentences in a row", "%(first)s%(second)s") % {
            "first": text, "second": sentence}
    return text
