# Two commands for humans: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
PORT ?= 8501
export HF_HUB_OFFLINE ?= 1
export TRANSFORMERS_OFFLINE ?= 1
export PIP_DISABLE_PIP_VERSION_CHECK = 1

.PHONY: run test install install-dev browser-deps index eval eval-ood clean

$(PY):
	$(PYTHON) -m venv $(VENV)

# Runtime dependencies; the stamp is refreshed when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e .
	touch $@

# torch==2.13.0 first: it is the CPU build on disk; letting sentence-transformers pick torch
# would download a multi-GB CUDA build.
$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(PIP) install --quiet torch==2.13.0
	$(PIP) install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Debian's Chromium for the browser test (never a downloaded browser); skipped when present.
browser-deps:
	@if [ -x /usr/bin/chromium ]; then echo "chromium: present"; \
	else \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver >/dev/null \
	  || echo "WARNING: could not install chromium; browser tests will be skipped"; \
	fi

# Build the index from corpus/ (incremental: only new or changed files are re-embedded).
index: install
	$(PY) -m assistant ingest corpus --index index

run: index
	$(PY) -m streamlit run app.py --server.headless true --server.port $(PORT) --browser.gatherUsageStats false

test: install-dev browser-deps
	$(PY) -m pytest -q

eval: install
	$(PY) -m assistant eval

# Out-of-domain check: synthetic service-public-style fiches and colloquial questions (benchmarks/ood).
eval-ood: install
	$(PY) -m assistant ingest benchmarks/ood/corpus --index benchmarks/ood/index
	$(PY) -m assistant eval --set benchmarks/ood/evalset.jsonl --index benchmarks/ood/index --report benchmarks/ood/report

clean:
	rm -rf index .index.* .pytest_cache tests/screenshots evals/reports benchmarks/ood/index benchmarks/ood/report
