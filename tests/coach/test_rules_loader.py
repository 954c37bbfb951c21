"""Rule files: Vale's format, team overrides, and errors that name file and key."""

import pytest

from ledgerdesk.coach import RuleError, load_rules, review
from ledgerdesk.coach.ruleset import RULES_DIR

GOOD = "Hi Anna,\n\nThanks. Invoice 4411 will be paid on 7 May.\n\nRegards,\nMarta"


def test_the_built_in_rules_load_and_cover_every_category():
    from ledgerdesk.coach import CATEGORIES

    rules = load_rules("en")
    assert {r.category for r in rules.rules} == set(CATEGORIES)
    assert {r.extends for r in rules.rules} == {
        "existence", "substitution", "occurrence", "conditional", "check",
    }  # fmt: skip
    assert any(t.term == "GRN" for t in rules.glossary)
    assert "remittance" in rules.vocabulary


def test_a_team_directory_can_switch_a_rule_off(tmp_path):
    (tmp_path / "Closing.Thanks.yml").write_text("enabled: false\n")
    text = GOOD.replace("Thanks. ", "")
    assert "closing" in review(text, {"contact_name": "Anna"}).categories
    assert "closing" not in review(text, {"contact_name": "Anna"}, rules=tmp_path).categories


def test_a_team_file_can_change_a_threshold_and_add_a_phrase_rule(tmp_path):
    override = tmp_path / "team.yml"
    override.write_text(
        "rules:\n"
        "  Clarity.LongSentence:\n"
        "    max_words: 5\n"
        "  Team.NoCheers:\n"
        "    extends: existence\n"
        "    category: closing\n"
        "    level: suggestion\n"
        "    message: \"'%s' is too casual for this team.\"\n"
        "    tokens: [cheers]\n"
    )
    text = GOOD.replace("Regards,", "Cheers,") + "\n"
    result = review(text, {"contact_name": "Anna"}, rules=str(override))
    fired = {f.rule for f in result.findings}
    assert "Team.NoCheers" in fired
    assert "Clarity.LongSentence" in fired
    cheers = next(f for f in result.findings if f.rule == "Team.NoCheers")
    assert cheers.message == "'Cheers' is too casual for this team."


def test_a_team_glossary_can_add_and_remove_terms(tmp_path):
    (tmp_path / "glossary.yml").write_text("terms:\n  GRN: null\n  BLOB: big list of bills\n")
    text = GOOD.replace("Thanks.", "Thanks. The GRN and the BLOB are in.")
    fired = review(text, {"contact_name": "Anna"}, rules=tmp_path).findings
    jargon = {text[f.start : f.end] for f in fired if f.rule == "Jargon.Glossary"}
    assert jargon == {"BLOB"}


def test_context_team_picks_up_the_teams_directory(tmp_path, monkeypatch):
    team = tmp_path / "payables-nl"
    team.mkdir()
    (team / "overrides.yml").write_text("rules:\n  Closing.Thanks:\n    enabled: false\n")
    monkeypatch.setenv("LEDGERDESK_COACH_TEAMS_DIR", str(tmp_path))
    text = GOOD.replace("Thanks. ", "")
    context = {"contact_name": "Anna", "team": "payables-nl"}
    assert "closing" not in review(text, context).categories
    assert "closing" in review(text, {"contact_name": "Anna", "team": "other"}).categories


def test_the_shipped_example_team_override_loads():
    rules = load_rules("en", team="ar-collections")
    assert rules.rule("Clarity.LongSentence").params["max_words"] == 30
    assert not any(t.term == "AR" for t in rules.glossary)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("extends: existence\ncategory: blame\nmessage: m\n", "key 'tokens'"),
        ("extends: exist\ncategory: blame\nmessage: m\n", "key 'extends'"),
        ("extends: existence\ncategory: tone\nmessage: m\ntokens: [a]\n", "key 'category'"),
        (
            "extends: existence\ncategory: blame\nmessage: m\nlevel: fatal\ntokens: [a]\n",
            "key 'level'",
        ),
        ("extends: existence\ncategory: blame\nmessage: m\ntokens: ['(a']\n", "key 'tokens'"),
        ("extends: existence\ncategory: blame\nmessage: m\ntokens: [a]\ntoken: b\n", "key 'token'"),
        ("extends: check\ncheck: nope\ncategory: blame\nmessage: m\n", "key 'check'"),
        (
            "extends: check\ncheck: long_sentence\ncategory: clarity\nmessage: m\nmax_word: 3\n",
            "key 'max_word'",
        ),
        (
            "extends: check\ncheck: long_sentence\ncategory: clarity\nmessage: m\n"
            "max_words: many\n",
            "key 'max_words'",
        ),
        (
            "extends: existence\ncategory: blame\nmessage: m\ntokens: [a]\nwhen: {mood: sad}\n",
            "key 'when.mood'",
        ),
        (
            "extends: existence\ncategory: blame\nmessage: m\ntokens: [a]\nenabled: maybe\n",
            "key 'enabled'",
        ),
        ("extends: existence\ncategory: blame\nmessage: m\n tokens: [a\n", "not valid YAML"),
    ],
)
def test_a_malformed_rule_file_names_the_file_and_the_key(tmp_path, content, message):
    path = tmp_path / "Team.Broken.yml"
    path.write_text(content)
    with pytest.raises(RuleError) as error:
        load_rules("en", overrides=[path])
    assert str(path) in str(error.value)
    assert message in str(error.value)


def test_a_missing_override_path_is_an_error(tmp_path):
    with pytest.raises(RuleError, match="no such rule file or directory"):
        load_rules("en", overrides=[tmp_path / "nope"])


def test_an_edited_rule_file_is_reloaded(tmp_path):
    path = tmp_path / "Team.Word.yml"
    path.write_text("extends: existence\ncategory: clarity\nmessage: m\ntokens: [alpha]\n")
    assert load_rules("en", overrides=[path]).rule("Team.Word").get("tokens") == ["alpha"]
    import os

    path.write_text("extends: existence\ncategory: clarity\nmessage: m\ntokens: [beta]\n")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000))
    assert load_rules("en", overrides=[path]).rule("Team.Word").get("tokens") == ["beta"]


def test_every_shipped_rule_file_has_a_message_and_category():
    for path in (RULES_DIR / "en").glob("*.yml"):
        if path.stem in ("glossary", "vocabulary"):
            continue
        text = path.read_text()
        assert "message:" in text and "category:" in text, path
