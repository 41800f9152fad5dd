# Shared by the scripts: find Python, make .venv, install the project once.
# Re-installs only when pyproject.toml changed since the last install.
VENV="${C7KIT_VENV:-.venv}"

ensure_venv() {
  local extras="$1"
  local py="${PYTHON:-}"
  if [ -z "$py" ]; then
    for candidate in python3.13 python3.12 python3.11 python3.10 python3; do
      if command -v "$candidate" >/dev/null 2>&1 &&
        "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
        py="$candidate"
        break
      fi
    done
  fi
  if [ -z "$py" ]; then
    echo "context7-kit needs Python 3.10 or newer: install it, or set PYTHON=/path/to/python3." >&2
    exit 1
  fi
  if [ ! -x "$VENV/bin/python" ]; then
    echo "== creating $VENV with $py"
    "$py" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
  fi
  local stamp="$VENV/.installed-$extras"
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    echo "== installing context7-kit[$extras] into $VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e ".[$extras]"
    touch "$stamp"
  fi
}

# The vendor's MCP server, for the compatibility test: installed like any other
# dependency (npm, pinned), so the test starts it without reaching the network.
# Without node/npm, or when the install fails, that one test skips with a reason.
ensure_mcp_server() {
  local version
  version=$("$VENV/bin/python" -c 'from tests.mcp_compat import MCP_VERSION; print(MCP_VERSION)')
  local prefix=".c7kit/mcp"
  if [ -x "$prefix/node_modules/.bin/context7-mcp" ] &&
    grep -q "\"version\": \"$version\"" "$prefix/node_modules/@upstash/context7-mcp/package.json" 2>/dev/null; then
    return 0
  fi
  if ! command -v npm >/dev/null 2>&1; then
    echo "== npm not found: the MCP compatibility test will skip"
    return 0
  fi
  echo "== installing @upstash/context7-mcp@$version into $prefix"
  mkdir -p "$prefix"
  npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error "@upstash/context7-mcp@$version" >/dev/null ||
    echo "== the MCP server could not be installed: the MCP compatibility test will skip"
}
