import pytest

from ledgerdesk import env


def test_boolean_reads_common_spellings(monkeypatch):
    monkeypatch.setenv("X_FLAG", "yes")
    assert env.boolean("X_FLAG") is True
    monkeypatch.setenv("X_FLAG", "off")
    assert env.boolean("X_FLAG", True) is False


def test_boolean_names_the_variable_on_bad_input(monkeypatch):
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(env.ConfigError, match="X_FLAG"):
        env.boolean("X_FLAG")


def test_integer_names_the_variable_on_bad_input(monkeypatch):
    monkeypatch.setenv("X_NUM", "ten")
    with pytest.raises(env.ConfigError, match="X_NUM: expected a whole number"):
        env.integer("X_NUM", 1)


def test_secret_is_generated_once_and_kept_private(tmp_path, monkeypatch):
    monkeypatch.delenv("X_SECRET", raising=False)
    keep = tmp_path / "secret"
    first = env.secret("X_SECRET", keep)
    assert len(first) > 40
    assert env.secret("X_SECRET", keep) == first
    assert keep.stat().st_mode & 0o777 == 0o600


def test_secret_prefers_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("X_SECRET", "from-env")
    assert env.secret("X_SECRET", tmp_path / "secret") == "from-env"
    assert not (tmp_path / "secret").exists()
