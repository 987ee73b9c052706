# The two commands of the README. Both set up what they need first (scripts/bootstrap.sh).
.PHONY: run test test-fast lint setup

setup:
	@scripts/bootstrap.sh

run: setup
	.venv/bin/perftrack --load-sample-if-empty

# Run a second time on a private PostgreSQL server (tests/support/postgres.py, Debian's postgresql
# package): the store, the command line, concurrent writers, evidence, passwords and the window's
# smoke test. Of these files only the tests that use a database run there.
PG_TESTS = tests/test_store.py tests/test_records.py tests/test_audit.py tests/test_actuals.py \
	tests/test_actuals_import.py tests/test_summary.py tests/test_kept_summaries.py tests/test_reimport.py \
	tests/test_cli.py tests/test_score_cli.py tests/test_export_cli.py tests/test_conflicts.py tests/test_review.py \
	tests/test_concurrency.py tests/test_evidence.py tests/test_password_hidden.py tests/test_gui_team_database.py \
	tests/test_stream_evaluations.py tests/test_score_json.py

test:
	@scripts/bootstrap.sh --test
	QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest -q $(PYTEST_ARGS)
	QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest -q --backend postgresql $(PG_TESTS) $(PYTEST_ARGS)
	.venv/bin/ruff check perftrack tests benchmarks installer scripts
	.venv/bin/ruff format --check perftrack tests benchmarks installer scripts
	.venv/bin/python scripts/typecheck.py

# The quick loop while working: everything but the slow tests (LibreOffice rendering, the bundle).
test-fast:
	@scripts/bootstrap.sh --test
	QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest -q -m "not slow" $(PYTEST_ARGS)
	QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest -q -m "not slow" --backend postgresql $(PG_TESTS) $(PYTEST_ARGS)
	.venv/bin/ruff check perftrack tests benchmarks installer scripts
	.venv/bin/ruff format --check perftrack tests benchmarks installer scripts
	.venv/bin/python scripts/typecheck.py

lint: setup
	.venv/bin/ruff check perftrack tests benchmarks installer
	.venv/bin/lint-imports
