.PHONY: setup run test lint
setup:
	./scripts/setup
run:
	./scripts/run
test:
	./scripts/test
lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy kindveilig config
