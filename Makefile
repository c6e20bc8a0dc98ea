# Two commands matter: `make book` builds the website, `make test` runs every test.
# Both create .venv and install the pinned requirements first if needed.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
MATHJAX := _vendor/mathjax/tex-chtml.js
PIP_QUIET := --quiet --disable-pip-version-check

.PHONY: book test test-fast env browser sandbox release check clean lab

env: $(STAMP) $(MATHJAX)

$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install $(PIP_QUIET) -r requirements.txt 2>&1 | grep -v "^WARNING: Location" || true
	$(PY) -m pip install $(PIP_QUIET) --no-deps -e . 2>&1 | grep -v "^WARNING: Location" || true
	$(PY) -c "import torch, nbgrader, jupyter_book, sklearn, grader, course"
	touch $@

# MathJax is served from the site itself (no CDN): copy the pinned npm package's CHTML build.
$(MATHJAX): package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	rm -rf _vendor/mathjax && mkdir -p _vendor/mathjax/output
	cp node_modules/mathjax/es5/tex-chtml.js _vendor/mathjax/
	cp -r node_modules/mathjax/es5/output/chtml _vendor/mathjax/output/

book: env
	PYTHONPATH=$(CURDIR) $(VENV)/bin/jupyter-book build . --warningiserror --nitpick --keep-going

# The website test renders pages in headless Chromium (Debian's package; root and apt-get needed).
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  { apt-get install -y -q chromium >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; }; }; } || \
	  echo "note: chromium is not installed; the browser test will be skipped"

# The grader runs each student's kernel inside bubblewrap (Debian's package; root and apt-get needed
# to install it). Grading refuses to start without it, so this target fails if it cannot install it.
sandbox:
	@command -v bwrap >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  { apt-get install -y -q bubblewrap >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q bubblewrap >/dev/null; }; }; } || \
	  { echo "error: bubblewrap (bwrap) is needed to grade; install it: apt-get install bubblewrap" >&2; exit 1; }

test: env browser sandbox
	$(PY) -m pytest tests

# Everything but notebook executions, grading runs and the site build (for development; about a minute).
test-fast: env
	$(PY) -m pytest tests -m "not slow"

# A student's copy of a lab: labs/NN-slug/ is copied into work/NN-slug/ (git ignores work/; files
# already there are never overwritten), then opened in JupyterLab with the student's settings.
LAB ?= 01
# (as root, in a container, JupyterLab refuses to start without --allow-root)
OPEN_LAB ?= $(VENV)/bin/jupyter lab$(if $(filter 0,$(shell id -u)), --allow-root)
lab: env
	@src=$$(ls -d labs/$(LAB)-*/ 2>/dev/null | head -n 1); \
	  test -n "$$src" || { echo "error: no lab $(LAB) under labs/ (try LAB=01)" >&2; exit 1; }; \
	  dest=work/$$(basename $$src); mkdir -p $$dest; cp -R -n $$src. $$dest/; \
	  echo "your copy: $$dest (git ignores work/; a copy already there is kept, never overwritten)"; \
	  JUPYTER_CONFIG_DIR=$(CURDIR)/jupyter/student $(OPEN_LAB) $$dest

release: env
	$(PY) -m grader release

check: env sandbox
	$(PY) -m grader check

clean:
	rm -rf _build _vendor grades
