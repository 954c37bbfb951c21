"""The `coach` command: text from a file or stdin, readable or JSON output, exit codes."""

import io
import json

from ledgerdesk.coach.cli import line_col, main

TEXT = "Dear customer,\n\nInvoice 4411 for 1,250.00 will be paid on 7 May.\n\nRegards,\nMarta\n"
CONTEXT = {"invoices": [{"number": "4411", "amount": "1520.00", "currency": "EUR"}]}


def run(argv, stdin=""):
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_it_reviews_standard_input_and_prints_line_and_column(tmp_path):
    context = tmp_path / "context.json"
    context.write_text(json.dumps(CONTEXT))
    code, out, _ = run(["--context", str(context), "-"], TEXT)
    assert code == 0
    assert "3:18  error      Accuracy.Amount  [accuracy]" in out
    assert "suggestion: 1,520.00" in out
    assert out.strip().splitlines()[-1].startswith("score ")


def test_it_prints_json_with_json(tmp_path):
    reply = tmp_path / "reply.txt"
    reply.write_text(TEXT)
    code, out, _ = run(["--json", str(reply)])
    data = json.loads(out)
    assert code == 0
    assert {f["rule"] for f in data["findings"]} >= {"Greeting.CannedOpener"}
    assert 0 <= data["score"] <= 100


def test_bad_context_json_is_exit_2_with_the_problem_named(tmp_path):
    context = tmp_path / "context.json"
    context.write_text("{bad json")
    code, out, err = run(["--context", str(context), "-"], TEXT)
    assert code == 2 and out == ""
    assert "not valid JSON" in err and "line 1" in err


def test_context_of_the_wrong_shape_is_exit_2(tmp_path):
    context = tmp_path / "context.json"
    context.write_text(json.dumps({"invoices": [{"number": "1", "amount": "lots"}]}))
    code, _, err = run(["--context", str(context), "-"], TEXT)
    assert code == 2
    assert "context.invoices[0].amount" in err


def test_a_context_that_is_not_an_object_is_exit_2(tmp_path):
    context = tmp_path / "context.json"
    context.write_text("[1, 2]")
    code, _, err = run(["--context", str(context), "-"], TEXT)
    assert code == 2 and "JSON object" in err


def test_a_missing_file_is_exit_2(tmp_path):
    code, _, err = run([str(tmp_path / "missing.txt")])
    assert code == 2 and "cannot be read" in err


def test_usage_errors_are_exit_2():
    code, _, _ = run(["--nope"])
    assert code == 2


def test_line_col_is_one_based():
    assert line_col("ab\ncd", 0) == (1, 1)
    assert line_col("ab\ncd", 4) == (2, 2)
