# The two commands of the README. Both set up what they need first (scripts/bootstrap.sh).
.PHONY: run test test-fast lint setup

setup:
	@scripts/bootstrap.sh

run: setup
	.venv/bin/perftrack --load-sample-if-empty

test:
	@scripts/bootstrap.sh --test
	QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest -q $(PYTEST_ARGS)
	.venv/bin/ruff check perftrack tests benchmarks installer
	.venv/bin/lint-imports

# The quick loop while working: everything but the slow tests (LibreOffice rendering, the bundle).
test-fast:
	@scripts/bootstrap.sh --test
	QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest -q -m "not slow" $(PYTEST_ARGS)
	.venv/bin/ruff check perftrack tests benchmarks installer
	.venv/bin/lint-imports

lint: setup
	.venv/bin/ruff check perftrack tests benchmarks installer
	.venv/bin/lint-imports
