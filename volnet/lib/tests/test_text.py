import pytest

from volnet.lib.text import fold_width


def test_it_folds_what_a_chinese_input_method_types_to_ascii():
    assert fold_width("１１４／０２／０２") == "114/02/02"
    assert fold_width("ｅ１２２３３３４４１") == "e122333441"
    assert fold_width("（０４）２２２２－３３３３＃１２") == "(04)2222-3333#12"
    assert fold_width("３．５") == "3.5"
    assert fold_width("１：２０") == "1:20"
    assert fold_width("１１５／０３／０１～１１５／０３／３０") == "115/03/01~115/03/30"
    assert fold_width("０９１２　３４５　６７８") == "0912 345 678"  # the ideographic space


def test_it_folds_the_whole_full_width_block_and_nothing_beyond_it():
    block = "".join(chr(code) for code in range(0xFF01, 0xFF5F))
    assert fold_width(block) == "".join(chr(code) for code in range(0x21, 0x7F))
    assert fold_width("\uff00\uff5f｡") == "\uff00\uff5f｡"  # the neighbours stay


@pytest.mark.parametrize("text", ["①", "1²", "Ⅳ", "㈱", "ﬁ", "豈", "王小明", "臺中市", "～", "〜"])
def test_it_leaves_alone_what_nfkc_would_rewrite(text):
    """Not NFKC: a field that accepts 12 must not take 1², and names keep their characters."""
    expected = "~" if text == "～" else text
    assert fold_width(text) == expected


def test_nothing_becomes_an_empty_string():
    assert fold_width(None) == ""
    assert fold_width("") == ""
