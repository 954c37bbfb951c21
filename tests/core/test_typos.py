from hypothesis import given
from hypothesis import strategies as st

from ledgerdesk.core.typos import one_change_or_swap, one_keystroke


def test_one_change_or_swap():
    assert one_change_or_swap("4411", "4412")  # one digit
    assert one_change_or_swap("4411", "4141")  # neighbours swapped
    assert not one_change_or_swap("4411", "1144")  # two apart
    assert not one_change_or_swap("4411", "44110")  # another length


def test_one_keystroke_adds_and_drops():
    assert one_keystroke("INV-1001", "INV1001")  # a dash dropped
    assert one_keystroke("1001", "10001")  # a digit doubled
    assert not one_keystroke("1001", "1001")  # the same is no slip
    assert not one_keystroke("1001", "100123")


@given(st.text(alphabet="0123456789ABC-", min_size=2, max_size=12), st.data())
def test_any_single_slip_is_one_keystroke_both_ways(number, data):
    i = data.draw(st.integers(0, len(number) - 1))
    kind = data.draw(st.sampled_from(["drop", "add", "swap"]))
    if kind == "drop":
        slipped = number[:i] + number[i + 1 :]
    elif kind == "add":
        slipped = number[:i] + "7" + number[i:]
    else:
        j = min(i + 1, len(number) - 1)
        slipped = number[:i] + number[j] + number[i] + number[j + 1 :] if j > i else number
    if slipped != number:
        assert one_keystroke(number, slipped) and one_keystroke(slipped, number)
