# Convenience targets; each wraps a script that sets itself up (.venv, installs).
.PHONY: test demo record lint bench serve mcp-compat

test:        ## ruff, mypy and the whole offline test suite (what CI runs)
	./scripts/test

demo:        ## the main job: serve docs/ locally and read it through the client and both adapters
	./scripts/demo

record:      ## re-record cassettes: from the local server, or the live API when CONTEXT7_API_URL and CONTEXT7_API_KEY are set
	./scripts/record

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/mypy

bench:       ## run every benchmark and print the figures for docs/benchmarks.md (makes .c7kit/bench-mcp-venv once)
	mcp_python=$$(./scripts/bench-mcp-env) || { echo "no MCP benchmark environment: mcp_vs_tool.py is skipped" >&2; mcp_python=; }; \
	.venv/bin/python benchmarks/run_all.py $${mcp_python:+--mcp-python "$$mcp_python"}

serve:       ## serve this repository's docs/ as /context7-kit/docs on 127.0.0.1:8787
	.venv/bin/context7-kit serve --library /context7-kit/docs=./docs --port 8787

mcp-compat:  ## drive the vendor's MCP server (npx @upstash/context7-mcp) against the local server
	./scripts/mcp-compat
