# LedgerDesk: `make run` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev

.PHONY: run test lint format install install-dev bench-quick clean

run: $(STAMP_RUN)
	$(BIN)/ledgerdesk run

test: lint
	$(BIN)/pytest -q -n 2 --dist loadfile

lint: $(STAMP_DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP_DEV)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

install: $(STAMP_RUN)
install-dev: $(STAMP_DEV)

$(STAMP_RUN): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

$(STAMP_DEV): requirements-dev.txt $(STAMP_RUN)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

bench-quick: $(STAMP_DEV)
	for b in bench/*.py; do case $$b in */_*) continue;; esac; $(BIN)/python $$b --quick || exit 1; done

clean:
	rm -rf $(VENV) var
