"""Loading the coach's rules from YAML, and merging a team's overrides on top.

A rule set is a directory: one rule per `*.yml` file in Vale's style format
(the file name is the rule name), plus two special files, `glossary.yml`
(jargon terms and their plain explanations) and `vocabulary.yml` (words the
spell check accepts). A team override is a directory of the same shape, or a
single YAML file holding `rules:` (name -> keys to change), `glossary:` and
`vocabulary:`. An override of an existing rule only needs the keys it changes
(`enabled: false`, `level: suggestion`, `max_words: 30`); a new rule must be
complete. Every error names the file and the key.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .alternation import alternation
from .model import CATEGORIES, SEVERITIES
from .registry import load_checks

RULES_DIR = Path(__file__).with_name("rules")
# Where per-team override directories live (`<dir>/<team>/`). The deployment
# may point this outside the package so that leads edit rules without a release.
TEAMS_DIR_ENV = "LEDGERDESK_COACH_TEAMS_DIR"
SPECIAL_FILES = {"glossary", "vocabulary"}
CONDITION_KEYS = {
    "contact_name", "incident", "reminder_level", "sla_breached", "first_time_late", "team",
    "language",
}  # fmt: skip

_COMMON_KEYS = {
    "extends", "message", "level", "category", "suggestion", "description", "link",
    "enabled", "scope", "when", "unless", "ignorecase", "nonword", "exceptions",
    "skip_negated",
}  # fmt: skip
_KIND_KEYS = {
    "existence": {"tokens"},
    "substitution": {"swap"},
    "occurrence": {"token", "max", "min"},
    "conditional": {"first", "second", "skip_dictionary_words"},
    "check": {"check"},
}
_SCOPES = {"text", "opening", "closing", "body"}


class RuleError(ValueError):
    """A rule file that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class Rule:
    name: str
    extends: str
    category: str
    level: str
    message: str
    source: str
    raw: dict[str, Any] = field(repr=False)
    params: dict[str, Any] = field(default_factory=dict, repr=False)
    compiled: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def enabled(self) -> bool:
        return bool(self.raw.get("enabled", True))

    @property
    def suggestion(self) -> str:
        return str(self.raw.get("suggestion", "") or "")

    def get(self, key: str, default: Any = None) -> Any:
        return self.raw.get(key, default)


@dataclass(frozen=True)
class GlossaryTerm:
    term: str
    explanation: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class RuleSet:
    language: str
    rules: tuple[Rule, ...]
    glossary: tuple[GlossaryTerm, ...]
    vocabulary: frozenset[str]
    acronyms: frozenset[str]
    sources: tuple[str, ...] = ()
    # Every glossary term in one pattern, group `g<i>` for `glossary[i]`, so a
    # reply is scanned once rather than once per term.
    glossary_pattern: re.Pattern[str] | None = None

    def glossary_term(self, match: re.Match[str]) -> GlossaryTerm:
        return self.glossary[int((match.lastgroup or "g0")[1:])]

    def rule(self, name: str) -> Rule | None:
        return next((r for r in self.rules if r.name == name), None)


def _read_yaml(path: Path) -> Any:
    import yaml  # imported on first load, not when Django imports the package

    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise RuleError(f"{path}{where}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
    except OSError as exc:
        raise RuleError(f"{path}: cannot be read ({exc.strerror})") from None


def _fail(source: str, key: str, problem: str) -> RuleError:
    return RuleError(f"{source}: key '{key}': {problem}")


def _compile(source: str, key: str, pattern: str, ignorecase: bool) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.IGNORECASE if ignorecase else 0)
    except re.error as exc:
        raise _fail(source, key, f"bad regular expression {pattern!r} ({exc})") from None


def _str_list(source: str, key: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise _fail(source, key, "expected a list of non-empty strings")
    return value


def _conditions(source: str, key: str, value: Any) -> list[dict[str, Any]]:
    """`when`/`unless`: one mapping of context values, or a list of them (any may hold)."""
    alternatives = value if isinstance(value, list) else [value]
    for alt in alternatives:
        if not isinstance(alt, dict) or not alt:
            raise _fail(source, key, "expected a mapping such as {reminder_level: 0}")
        unknown = sorted(set(alt) - CONDITION_KEYS)
        if unknown:
            known = ", ".join(sorted(CONDITION_KEYS))
            raise _fail(source, f"{key}.{unknown[0]}", f"not a context key (known: {known})")
    return alternatives


def build_rule(name: str, raw: Any, source: str) -> Rule:
    """Validate one rule's keys and compile its patterns."""
    if not isinstance(raw, dict):
        raise RuleError(f"{source}: a rule must be a mapping of keys, got {type(raw).__name__}")
    extends = raw.get("extends")
    if extends not in _KIND_KEYS:
        raise _fail(source, "extends", f"must be one of {', '.join(_KIND_KEYS)}, got {extends!r}")
    for required in ("message", "category"):
        if not isinstance(raw.get(required), str) or not raw[required].strip():
            raise _fail(source, required, "is required and must be a non-empty string")
    if raw["category"] not in CATEGORIES:
        raise _fail(source, "category", f"must be one of {', '.join(CATEGORIES)}")
    level = raw.get("level", "warning")
    if level not in SEVERITIES:
        raise _fail(source, "level", f"must be one of {', '.join(SEVERITIES)}, got {level!r}")
    for flag in ("enabled", "ignorecase", "nonword", "skip_negated", "skip_dictionary_words"):
        if flag in raw and not isinstance(raw[flag], bool):
            raise _fail(source, flag, "must be true or false")
    if "suggestion" in raw and not isinstance(raw["suggestion"], str):
        raise _fail(source, "suggestion", "must be a string")
    if raw.get("scope", "text") not in _SCOPES:
        raise _fail(source, "scope", f"must be one of {', '.join(sorted(_SCOPES))}")

    allowed = _COMMON_KEYS | _KIND_KEYS[extends]
    params: dict[str, Any] = {}
    compiled: dict[str, Any] = {}
    ignorecase = bool(raw.get("ignorecase", True))
    wrap = (lambda p: p) if raw.get("nonword") else (lambda p: rf"(?<!\w)(?:{p})(?!\w)")

    if extends == "check":
        checks = load_checks()
        check = raw.get("check")
        if check not in checks:
            raise _fail(source, "check", f"unknown check {check!r} (known: {', '.join(checks)})")
        params = dict(checks[check].params)
        for key, value in raw.items():
            if key in allowed:
                continue
            if key not in params:
                known = ", ".join(sorted(params)) or "none"
                raise _fail(source, key, f"not a setting of check '{check}' (settings: {known})")
            default = params[key]
            numeric = isinstance(default, int | float) and not isinstance(default, bool)
            ok = (
                isinstance(value, int | float) and not isinstance(value, bool)
                if numeric
                else isinstance(value, type(default))
            )
            if not ok:
                raise _fail(source, key, f"expected {type(default).__name__}, got {value!r}")
            params[key] = value
        for key, value in params.items():
            # Phrase lists are regular expressions a lead may extend; compile
            # them once here so a bad one is reported with its file and key.
            if key.endswith("_phrases"):
                phrases = _str_list(source, key, value) if value else []
                pattern = wrap(alternation(phrases, True)) if phrases else r"(?!x)x"
                compiled[key] = _compile(source, key, pattern, True)
    else:
        unknown = sorted(set(raw) - allowed)
        if unknown:
            raise _fail(source, unknown[0], f"not a key of an '{extends}' rule")
    if extends == "existence":
        tokens = _str_list(source, "tokens", raw.get("tokens"))
        compiled["pattern"] = _compile(
            source, "tokens", wrap(alternation(tokens, ignorecase)), ignorecase
        )
    elif extends == "substitution":
        swap = raw.get("swap")
        if not isinstance(swap, dict) or not swap:
            raise _fail(source, "swap", "expected a mapping of phrase -> replacement")
        replacements = []
        for bad, good in swap.items():
            if not isinstance(bad, str) or not isinstance(good, str | type(None)):
                raise _fail(source, "swap", f"entry {bad!r} must map a phrase to a string")
            _compile(source, f"swap.{bad}", wrap(bad), ignorecase)  # report the bad entry itself
            replacements.append(good or "")
        # One pass over the text for all entries: a named group per entry says
        # which one matched (numbered groups inside entries stay usable).
        # The word-start check of `wrap` comes once, before the alternatives, so that
        # positions inside words are passed over quickly.
        combined = wrap("|".join(f"(?P<swap{i}>{bad})" for i, bad in enumerate(swap)))
        compiled["swap"] = _compile(source, "swap", combined, ignorecase)
        compiled["replacements"] = replacements
    elif extends == "occurrence":
        if not isinstance(raw.get("token"), str):
            raise _fail(source, "token", "is required and must be a regular expression string")
        compiled["pattern"] = _compile(source, "token", raw["token"], ignorecase)
        if not any(isinstance(raw.get(k), int) for k in ("max", "min")):
            raise _fail(source, "max", "an occurrence rule needs an integer 'max' or 'min'")
    elif extends == "conditional":
        for key in ("first", "second"):
            if not isinstance(raw.get(key), str):
                raise _fail(source, key, "is required and must be a regular expression string")
            compiled[key] = _compile(source, key, raw[key], False)
        if compiled["first"].groups < 1:
            raise _fail(source, "first", "needs a capture group naming what must be defined")
    if "exceptions" in raw:
        exceptions = _str_list(source, "exceptions", raw["exceptions"])
        compiled["exceptions"] = _compile(source, "exceptions", "|".join(exceptions), True)
    for key in ("when", "unless"):
        if key in raw:
            compiled[key] = _conditions(source, key, raw[key])
    return Rule(
        name=name,
        extends=extends,
        category=raw["category"],
        level=level,
        message=raw["message"].strip(),
        source=source,
        raw=dict(raw),
        params=params,
        compiled=compiled,
    )


def _glossary_entries(data: Any, source: str) -> dict[str, dict[str, Any] | None]:
    terms = data.get("terms", data) if isinstance(data, dict) else None
    if not isinstance(terms, dict):
        raise _fail(source, "terms", "expected a mapping of term -> explanation")
    entries: dict[str, dict[str, Any] | None] = {}
    for term, value in terms.items():
        if value is None:
            entries[str(term)] = None  # an override removing a base term
        elif isinstance(value, str):
            entries[str(term)] = {"explanation": value}
        elif isinstance(value, dict) and isinstance(value.get("explanation"), str):
            entries[str(term)] = value
        else:
            raise _fail(source, f"terms.{term}", "expected an explanation string or a mapping")
    return entries


def _glossary_term(term: str, entry: dict[str, Any], source: str) -> GlossaryTerm:
    # Acronyms are matched in capitals only, so "ap" in an e-mail address or
    # the word "gl" in a name never counts; lower-case terms match any case.
    ignorecase = entry.get("ignorecase", not any(ch.isupper() for ch in term))
    body = entry.get("pattern") or re.escape(term).replace(r"\ ", r"\s+")
    if not isinstance(body, str):
        raise _fail(source, f"terms.{term}.pattern", "must be a regular expression string")
    regex = rf"(?<![\w/@.-])(?:{body})(?:s|es)?(?![\w@-]|\.\w)"
    return GlossaryTerm(
        term, entry["explanation"], _compile(source, f"terms.{term}", regex, ignorecase)
    )


def _vocabulary(data: Any, source: str) -> tuple[set[str], set[str]]:
    if not isinstance(data, dict):
        raise RuleError(f"{source}: expected a mapping with 'accept' and 'acronyms' lists")
    accept = set(_str_list(source, "accept", data.get("accept", [])))
    acronyms = set(_str_list(source, "acronyms", data.get("acronyms", [])))
    return {w.casefold() for w in accept}, acronyms


def _is_bundle(data: Any) -> bool:
    """An override file holding several changes rather than one rule."""
    return (
        isinstance(data, dict) and bool(data) and set(data) <= {"rules", "glossary", "vocabulary"}
    )


class _Builder:
    """Collects raw rules, glossary and vocabulary from base and override sources."""

    def __init__(self) -> None:
        self.raw: dict[str, tuple[dict[str, Any], str]] = {}
        self.glossary: dict[str, tuple[dict[str, Any], str]] = {}
        self.vocabulary: set[str] = set()
        self.acronyms: set[str] = set()
        self.sources: list[str] = []

    def add_rule(self, name: str, data: Any, source: str) -> None:
        if name in self.raw:
            if not isinstance(data, dict):
                raise RuleError(f"{source}: an override of '{name}' must be a mapping of keys")
            base, _ = self.raw[name]
            self.raw[name] = ({**base, **data}, source)
        else:
            self.raw[name] = (data, source)

    def add_glossary(self, data: Any, source: str) -> None:
        for term, entry in _glossary_entries(data, source).items():
            if entry is None:
                self.glossary.pop(term, None)
            else:
                self.glossary[term] = (entry, source)

    def add_vocabulary(self, data: Any, source: str) -> None:
        accept, acronyms = _vocabulary(data, source)
        self.vocabulary |= accept
        self.acronyms |= acronyms

    def add_directory(self, directory: Path) -> None:
        files = sorted(p for p in directory.iterdir() if p.suffix in (".yml", ".yaml"))
        for path in files:
            self.sources.append(str(path))
            data = _read_yaml(path)
            if path.stem in SPECIAL_FILES:
                getattr(self, f"add_{path.stem}")(data or {}, str(path))
            elif _is_bundle(data) and path.stem not in self.raw:
                self.add_bundle(data, path)
            else:
                self.add_rule(path.stem, data, str(path))

    def add_file(self, path: Path) -> None:
        self.sources.append(str(path))
        data = _read_yaml(path)
        if isinstance(data, dict) and ("extends" in data or path.stem in self.raw):
            self.add_rule(path.stem, data, str(path))
            return
        self.add_bundle(data, path)

    def add_bundle(self, data: Any, path: Path) -> None:
        if not isinstance(data, dict):
            raise RuleError(f"{path}: expected a mapping with 'rules', 'glossary' or 'vocabulary'")
        unknown = sorted(set(data) - {"rules", "glossary", "vocabulary"})
        if unknown:
            raise _fail(str(path), unknown[0], "expected only 'rules', 'glossary', 'vocabulary'")
        rules = data.get("rules") or {}
        if not isinstance(rules, dict):
            raise _fail(str(path), "rules", "expected a mapping of rule name -> keys")
        for name, rule in rules.items():
            self.add_rule(str(name), rule, f"{path} (rules.{name})")
        if "glossary" in data:
            self.add_glossary(data["glossary"] or {}, str(path))
        if "vocabulary" in data:
            self.add_vocabulary(data["vocabulary"] or {}, str(path))

    def add_path(self, path: Path) -> None:
        if path.is_dir():
            self.add_directory(path)
        elif path.is_file():
            self.add_file(path)
        else:
            raise RuleError(f"{path}: no such rule file or directory")

    def build(self, language: str) -> RuleSet:
        rules = tuple(build_rule(name, raw, src) for name, (raw, src) in sorted(self.raw.items()))
        glossary = tuple(
            _glossary_term(term, entry, src) for term, (entry, src) in self.glossary.items()
        )
        combined = "|".join(
            f"(?P<g{i}>(?{'' if t.pattern.flags & re.IGNORECASE else '-'}i:{t.pattern.pattern}))"
            for i, t in enumerate(glossary)
        )
        return RuleSet(
            language=language,
            rules=rules,
            glossary=glossary,
            vocabulary=frozenset(self.vocabulary),
            acronyms=frozenset(self.acronyms),
            sources=tuple(self.sources),
            # Every term starts where no word does (see _glossary_term); checking that
            # once, before the alternatives, keeps the scan fast as the glossary grows.
            # A term running on into digits ("R23,450.00", rand) is part of an amount.
            glossary_pattern=(
                re.compile(rf"(?<![\w/@.-])(?:{combined})(?![.,]\d)") if glossary else None
            ),
        )


def team_directory(team: str | None) -> Path | None:
    if not team:
        return None
    root = Path(os.environ.get(TEAMS_DIR_ENV) or RULES_DIR / "teams")
    candidate = root / team
    return candidate if candidate.is_dir() else None


def _signature(paths: tuple[Path, ...]) -> tuple[tuple[str, int], ...]:
    """Modification times of every file involved, so an edited rule is reloaded."""
    stamps = []
    for path in paths:
        try:
            if path.is_dir():
                for entry in os.scandir(path):
                    stamps.append((entry.path, entry.stat().st_mtime_ns))
            stamps.append((str(path), path.stat().st_mtime_ns))
        except OSError:
            stamps.append((str(path), -1))
    return tuple(sorted(stamps))


@lru_cache(maxsize=32)
def _load_cached(
    language: str, paths: tuple[Path, ...], signature: tuple[tuple[str, int], ...]
) -> RuleSet:
    builder = _Builder()
    for path in paths:
        builder.add_path(path)
    return builder.build(language)


def load_rules(
    language: str = "en",
    team: str | None = None,
    overrides: str | os.PathLike[str] | list[str | os.PathLike[str]] | tuple = (),
) -> RuleSet:
    """The built-in rules for `language`, then the team's directory, then `overrides`."""
    base = RULES_DIR / language
    if not base.is_dir():
        available = sorted(p.name for p in RULES_DIR.iterdir() if p.is_dir() and p.name != "teams")
        raise RuleError(f"no coach rules for language {language!r} (available: {available})")
    if isinstance(overrides, str | os.PathLike):
        overrides = [overrides]
    paths = [base]
    team_dir = team_directory(team)
    if team_dir is not None:
        paths.append(team_dir)
    paths.extend(Path(p) for p in overrides)
    path_tuple = tuple(paths)
    return _load_cached(language, path_tuple, _signature(path_tuple))
