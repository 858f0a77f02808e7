"""What people type, made comparable."""

# Full-width forms (U+FF01–U+FF5E) and the ideographic space, as Chinese input methods type digits,
# letters and signs: ０１２ → 012, ＡＢ → AB, （／－．：＋＃～） → (/-.:+#~), "　" → " ". Deliberately not
# Unicode NFKC, which also rewrites ① ² Ⅳ ㈱ ﬁ and some CJK compatibility ideographs: a field that
# accepts "12" must not accept "1²", and a name must keep its characters.
_WIDTH = {0xFF01 + offset: 0x21 + offset for offset in range(0x5E)}
_WIDTH[0x3000] = 0x20


def fold_width(text):
    """`text` with full-width ASCII characters made half-width (None → "")."""
    return str(text or "").translate(_WIDTH)
