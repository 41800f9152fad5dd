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

# npm_pinned PREFIX WHAT PACKAGE@VERSION...: the pinned npm packages installed under PREFIX
# (only those whose installed version differs), so their tests start them without reaching
# the network. Without npm, or when the install fails, it says so: WHAT names the tests.
npm_pinned() {
  local prefix="$1" what="$2" spec missing=()
  shift 2
  for spec in "$@"; do
    grep -q "\"version\": \"${spec##*@}\"" "$prefix/node_modules/${spec%@*}/package.json" 2>/dev/null || missing+=("$spec")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v npm >/dev/null 2>&1; then
    echo "== npm not found: $what will skip"
    return 0
  fi
  echo "== installing ${missing[*]} into $prefix"
  mkdir -p "$prefix"
  npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error "$@" >/dev/null ||
    echo "== ${missing[*]} could not be installed: $what will skip (under CI, fail)"
}

# The vendor's MCP server, for the compatibility test (pinned in tests/mcp_compat.py).
ensure_mcp_server() {
  local version
  version=$("$VENV/bin/python" -c 'from tests.mcp_compat import MCP_VERSION; print(MCP_VERSION)')
  npm_pinned .c7kit/mcp "the MCP compatibility test" "@upstash/context7-mcp@$version"
}

# The vendor's ctx7 CLI and TypeScript SDK, for their compatibility tests (pinned in tests/vendor_clients.py).
ensure_vendor_clients() {
  local pins
  pins=$("$VENV/bin/python" -c 'from tests.vendor_clients import CTX7_PACKAGE as a, CTX7_VERSION as b, SDK_PACKAGE as c, SDK_VERSION as d; print(f"{a}@{b} {c}@{d}")')
  # shellcheck disable=SC2086  # two package@version words
  npm_pinned .c7kit/vendor "the ctx7 and SDK compatibility tests" $pins
}

# PostgreSQL and Redis for the tests that run against real servers (the tests
# start and stop them on loopback themselves): the Debian packages, installed
# when their binaries are missing. Without apt-get or root, those tests skip
# with a reason (under CI they fail instead).
ensure_test_servers() {
  local missing=()
  if ! command -v initdb >/dev/null 2>&1 && ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    missing+=(postgresql)
  fi
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; else sudo="none"; fi
  fi
  if [ "$sudo" = "none" ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "== ${missing[*]} missing and not installable here (needs apt-get as root): those tests will skip"
    return 0
  fi
  echo "== installing ${missing[*]} (Debian packages) for the tests"
  # The tests make their own throw-away cluster: the package need not create and start one.
  $sudo mkdir -p /etc/postgresql-common/createcluster.d &&
    echo "create_main_cluster = false" | $sudo tee /etc/postgresql-common/createcluster.d/context7-kit.conf >/dev/null
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null &&
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
    echo "== installing ${missing[*]} failed: those tests will skip"
}
