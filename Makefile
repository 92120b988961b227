# frontwire: `make run` for the demo pipeline, `make test` for the suite.
# Every target creates .venv and installs the locked dependencies on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export PYTHONUNBUFFERED := 1

.PHONY: install run demo test browser-tools test-fast bench lint train eval eval-stories eval-segmentation lock clean

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $(STAMP)
	@echo "installed into $(VENV)"

run: install          
	$(BIN)/frontwire run --demo

demo: install         
	$(BIN)/frontwire run --demo --exit-when-idle

test: install browser-tools
	$(BIN)/python -m pytest -q

browser-tools:        # headless Chromium for tests/browser (apt, idempotent; skipped without root)
	@sh deploy/install-browser.sh

test-fast: install    
	$(BIN)/python -m pytest -q tests/unit

bench: install
	$(BIN)/python -m bench

train: install        # the classifier's model artefact, from the annotations and ../shared/eval/real
	$(BIN)/python -m services.classify.model.train

eval: install         # every labelled set, per label, with targets and a reliability table
	$(BIN)/python -m services.classify.evaluation.report $(EVAL_ARGS)
	@if [ -n "$(GOLD)" ]; then $(BIN)/python -m services.classify.evaluation.run $(GOLD); fi

eval-stories: install # story grouping on labelled pairs: same event joined, different events kept apart
	$(BIN)/python -m services.notify.evaluate_stories $(EVAL_ARGS)

eval-segmentation: install
	$(BIN)/python -m services.ingest.evaluate $(SEEDS)

lint: install
	$(BIN)/ruff check frontwire schemas services tests bench
	$(BIN)/mypy

lock:                 
	rm -rf .lockvenv && $(PYTHON) -m venv .lockvenv
	.lockvenv/bin/pip install --quiet -e '.[dev]'
	.lockvenv/bin/pip freeze --exclude-editable | grep -v '^-e' > constraints.txt
	rm -rf .lockvenv

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info
