# The two commands of the README. Both set up what they need first (scripts/bootstrap.sh).
.PHONY: run test lint setup

setup:
	@scripts/bootstrap.sh

run: setup
	.venv/bin/perftrack --load-sample-if-empty

test: setup
	QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest -q $(PYTEST_ARGS)
	.venv/bin/ruff check perftrack tests benchmarks
	.venv/bin/lint-imports

lint: setup
	.venv/bin/ruff check perftrack tests benchmarks
	.venv/bin/lint-imports
