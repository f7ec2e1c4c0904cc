# Fresh machine: `make build` (set-up, then build the runbooks) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The external checkers (checkov, parliament) live in a venv of their own: their pinned dependencies clash with ours.
CHECKERS := $(VENV)/checkers
CHECKERS_REQUIREMENTS := tests/deploy/checkers-requirements.txt
CHECKERS_STAMP := $(CHECKERS)/.installed
# The IAM oracle of tests/iam/test_oracle.py: @cloud-copilot/iam-simulate (AGPL), installed from npm as an outside
# program, never vendored; pinned. Without npm the set-up says so and that test is skipped.
ORACLE := $(VENV)/iam-simulate
ORACLE_VERSION := 0.1.173
ORACLE_STAMP := $(ORACLE)/.installed-$(ORACLE_VERSION)
# The wheel's smoke test (tests/packaging/test_wheel.py) builds the wheel and installs it, and a `runbook init`
# project, into a fresh virtual environment with no network: from this wheelhouse of every wheel they need (read
# from pyproject.toml and the project template), filled from PyPI through pip's cache once, and again from scratch
# when either changes.
WHEELHOUSE := $(VENV)/wheelhouse
WHEELHOUSE_STAMP := $(WHEELHOUSE)/.complete
# The JsonPath oracle of tests/simulate/test_jsonpath_jayway.py (and docs/conformance.md): Jayway JsonPath, SSM's
# selector library, as Debian packages it (libjsonpath-java, with json-smart, accessors-smart, asm and slf4j), run
# by the JDK. Installed where missing and apt-get can, as Graphviz is; otherwise one line says so and those tests
# are skipped.
JSONPATH_JAR ?= /usr/share/java/json-path.jar

.PHONY: build test lint typecheck golden docs bench clean publish conformance index

# The index of botocore's models (toolkit/aws/models.py, build_index; the README's "AWS service models"): built
# from the botocore this set-up installed, after the install, and again when models.py (the form it holds) changes;
# `make index` rebuilds it after an upgrade of botocore made outside make (until then the index is refused for the
# upgraded services and their models come from the cache, as on a first run). Not built: one line says so, and every
# run reads the models as without it.
INDEX := toolkit/aws/models.index

# The editable install puts the repository on sys.path with a plain .pth ("compat" mode): setuptools' default
# import hook for a flat layout costs ~8 ms at every start of the command. Older or newer setuptools without
# that mode fall back to the default.
# Graphviz's dot draws `runbook graph --format svg|png`: installed where missing and apt-get can (as root, or with
# sudo -n; apt-get update only if the install fails); otherwise one line says so and the set-up goes on.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]' --config-settings editable_mode=compat \
		|| $(BIN)/python -m pip install --quiet -e '.[dev]'
	@command -v dot >/dev/null 2>&1 || { sudo=; [ "$$(id -u)" = 0 ] || sudo="sudo -n"; \
		aptget() { $$sudo env DEBIAN_FRONTEND=noninteractive apt-get "$$@" >/dev/null 2>&1; }; \
		{ command -v apt-get >/dev/null 2>&1 \
			&& { aptget install -y -q graphviz || { aptget update -q && aptget install -y -q graphviz; }; }; } \
		|| echo "note: runbook graph --format svg/png needs Graphviz: install graphviz (Mermaid and DOT work without it)"; }
	touch $(STAMP)

# Recreated from scratch when the pinned list changes, so nothing of an older set stays behind.
$(CHECKERS_STAMP): $(CHECKERS_REQUIREMENTS)
	rm -rf $(CHECKERS)
	$(PYTHON) -m venv $(CHECKERS)
	$(CHECKERS)/bin/python -m pip install --quiet -r $(CHECKERS_REQUIREMENTS)
	touch $(CHECKERS_STAMP)

$(ORACLE_STAMP):
	@if command -v npm >/dev/null 2>&1; then \
		rm -rf $(ORACLE) && mkdir -p $(ORACLE) \
		&& npm install --silent --no-audit --no-fund --prefix $(ORACLE) @cloud-copilot/iam-simulate@$(ORACLE_VERSION) \
		&& touch $(ORACLE_STAMP); \
	else echo "note: npm is missing: tests/iam/test_oracle.py (the iam-simulate oracle) will be skipped"; fi

$(JSONPATH_JAR):
	@sudo=; [ "$$(id -u)" = 0 ] || sudo="sudo -n"; \
		aptget() { $$sudo env DEBIAN_FRONTEND=noninteractive apt-get "$$@" >/dev/null 2>&1; }; \
		{ command -v apt-get >/dev/null 2>&1 \
			&& { aptget install -y -q libjsonpath-java || { aptget update -q && aptget install -y -q libjsonpath-java; }; }; } \
		|| echo "note: the Jayway JsonPath oracle needs libjsonpath-java: install it (its tests are skipped without it)"

$(WHEELHOUSE_STAMP): pyproject.toml toolkit/scaffold/project/pyproject.toml.tmpl $(STAMP)
	rm -rf $(WHEELHOUSE)
	$(BIN)/python -m tests.packaging.wheelhouse $(WHEELHOUSE)

$(INDEX): $(STAMP) $(wildcard toolkit/aws/models.py)
	$(BIN)/python -m toolkit.aws.models index \
		|| echo "note: the index of botocore's models was not built: lint reads the models as on a first run"

index: $(STAMP)
	$(BIN)/python -m toolkit.aws.models index

build: $(STAMP) $(INDEX)
	$(BIN)/runbook build --out build
	$(BIN)/runbook lint $(foreach name,$(RUNBOOK_NAMES),build/$(name).yaml build/$(name).json)
	$(BIN)/runbook simulate build/cloudtrail-remediation-action.yaml --param CloudTrailName=main \
		--param CloudTrailS3BucketName=trail-logs-123456789012 --param CloudTrailKmsKeyId=alias/cloudtrail
	$(BIN)/runbook scenario scenarios/*.yaml scenarios/attacks/*.yaml
	$(BIN)/runbook template --out build/cloudtrail-remediation-stack.yaml
	$(BIN)/runbook template --organization --out build/cloudtrail-remediation-org.yaml
	$(BIN)/runbook docs --all --out docs/runbooks

# Publish every built runbook: make publish REGION="us-east-1 eu-west-1" PROFILE=ops (both optional: the default
# region and credential chain otherwise). Idempotent: unchanged documents make no write call.
REGION ?=
PROFILE ?=
# Every runbook of runbooks/ by name (published as built: the same bytes as build/<name>.yaml).
RUNBOOK_NAMES = $(shell $(BIN)/python -c "from toolkit.build import runbook_modules; print(' '.join(runbook_modules()))")
publish: build
	$(BIN)/runbook publish $(RUNBOOK_NAMES) $(foreach region,$(REGION),--region $(region)) \
		$(if $(PROFILE),--profile $(PROFILE))

test: $(STAMP) $(INDEX) $(CHECKERS_STAMP) $(ORACLE_STAMP) $(WHEELHOUSE_STAMP) $(JSONPATH_JAR)
	$(BIN)/ruff check toolkit runbooks tests bench
	$(BIN)/ruff format --check toolkit runbooks tests bench
	$(BIN)/mypy
	HYPOTHESIS_PROFILE=$${HYPOTHESIS_PROFILE:-ci} \
		IAM_SIMULATE_DIR=$${IAM_SIMULATE_DIR:-$$( [ -f $(ORACLE_STAMP) ] && echo $(CURDIR)/$(ORACLE) )} \
		$(BIN)/python -m pytest -n auto --dist worksteal

lint: $(STAMP)
	$(BIN)/ruff check toolkit runbooks tests bench
	$(BIN)/mypy

# Regenerate docs/rules.md from the lint rules' metadata and docs/services.md from the fakes' operation tables.
docs: $(STAMP)
	mkdir -p docs
	$(BIN)/python -m toolkit.lint.rules_page > docs/rules.md.tmp && mv docs/rules.md.tmp docs/rules.md
	$(BIN)/python -m toolkit.fakes.services_page > docs/services.md.tmp && mv docs/services.md.tmp docs/services.md

# Regenerate docs/conformance.md: each oracle's section (Jayway JsonPath, java.util.regex), assembled by
# tests/oracles/conformance.py and written whole.
conformance: $(STAMP)
	$(BIN)/python -m tests.oracles.conformance --out docs/conformance.md

# Regenerate the golden files after an intended change to rendered output.
golden: $(STAMP)
	$(BIN)/python -m pytest tests --update-golden -q

# The side-by-side benchmarks (bench/README.md): make bench BENCH_ARGS="--runs 5 --only loop,one-doc".
BENCH_ARGS ?=
bench: $(STAMP) $(INDEX)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf build .venv .mypy_cache .pytest_cache .ruff_cache $(INDEX)
