"""Verification codes: unguessable (≥ 80 bits), short, readable, forgiving of how they are typed."""

import math

from volnet.documents import codes


def test_a_code_carries_at_least_80_random_bits_and_never_repeats():
    assert codes.LENGTH * math.log2(len(codes.ALPHABET)) >= 80
    made = {codes.new_code() for _ in range(2000)}
    assert len(made) == 2000
    assert all(len(code) == codes.LENGTH and set(code) <= set(codes.ALPHABET) for code in made)
    # every character of the alphabet turns up: the codes are not drawn from a smaller set
    assert set("".join(made)) == set(codes.ALPHABET)


def test_a_code_reads_in_groups_without_letters_that_look_like_others():
    code = codes.new_code()
    shown = codes.display(code)
    assert len(shown.split("-")) == 5 and all(len(group) == 4 for group in shown.split("-"))
    assert not set("ILOU") & set(codes.ALPHABET)


def test_typing_a_code_forgives_case_spaces_dashes_and_lookalike_letters():
    code = "7KQ2M9XD4HTBZ0WCP3NE"
    for typed in ("7KQ2-M9XD-4HTB-Z0WC-P3NE", "7kq2 m9xd 4htb zowc p3ne", " 7KQ2M9XD4HTBZ0WCP3NE ",
                  "7KQ2–M9XD–4HTB–ZOWC–P3NE"):
        assert codes.normalise(typed) == code
    assert codes.normalise("7KQ2-M9XD-4HTB-Z0WC-P3N") == ""  # one short
    assert codes.normalise("7KQ2-M9XD-4HTB-Z0WC-P3NU") == ""  # U is no code character
    assert codes.normalise("../../etc/passwd") == "" and codes.normalise(None) == ""
    assert codes.normalise("x" * 500) == ""
