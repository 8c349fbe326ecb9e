# Two commands: `make report` and `make test`. Each creates .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: report lesson test lint benchmark clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed-run

report: $(VENV)/.installed-run
	$(BIN)/bilat-analysis report --out reports

# The lesson (notebooks/lesson/) as a small HTML site: site/index.html, solutions in site/solutions/.
lesson: $(VENV)/.installed-run
	$(BIN)/python -c "from bilat_analysis.lesson import render_lesson; print(render_lesson('site'))"

test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

benchmark: $(VENV)/.installed-test
	$(BIN)/python benchmarks/tagging.py
	$(BIN)/python benchmarks/clustering.py
	$(BIN)/python benchmarks/cooccurrence.py
	$(BIN)/python benchmarks/pipeline.py --sizes 10000
	$(BIN)/python benchmarks/events.py
	$(BIN)/python benchmarks/loading.py
	$(BIN)/python benchmarks/accuracy.py

clean:
	rm -rf $(VENV) reports site build dist
