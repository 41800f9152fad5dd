# ruff: noqa: E501  (one question a line reads best)
"""The benchmark's questions, written for this project, with their answers in the real docs.

Each question has a wording: ``"docs"`` when it uses the words of the
documentation (its headings, identifiers, phrases), ``"other"`` when it asks
the way a developer would without knowing them. An answer is (file, section,
token): the snippet must come from that file (relative to the docs folder),
sit under a heading containing ``section`` (any heading of the file when it
is empty), and contain ``token`` (case-insensitive) in its text or code. A
question may have more than one right answer.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Answer:
    file: str
    section: str
    token: str


@dataclass(frozen=True)
class Question:
    corpus: str
    wording: str  # "docs" or "other"
    text: str
    answers: tuple[Answer, ...]


def _q(corpus: str, wording: str, text: str, *answers: tuple[str, str, str]) -> Question:
    return Question(corpus, wording, text, tuple(Answer(*a) for a in answers))


QUESTIONS: tuple[Question, ...] = (
    # -- Starlette 0.46.2 (Markdown) ---------------------------------------------------------------------------
    _q("starlette", "docs", "How do I set a cookie on a response?", ("responses.md", "Set Cookie", "set_cookie")),
    _q("starlette", "docs", "delete_cookie on a Response", ("responses.md", "Delete Cookie", "delete_cookie")),
    _q("starlette", "docs", "StreamingResponse with an async generator", ("responses.md", "StreamingResponse", "StreamingResponse")),
    _q("starlette", "docs", "FileResponse headers and media_type", ("responses.md", "FileResponse", "FileResponse")),
    _q("starlette", "docs", "RedirectResponse status code", ("responses.md", "RedirectResponse", "RedirectResponse")),
    _q("starlette", "docs", "CORSMiddleware allow_origins", ("middleware.md", "CORSMiddleware", "allow_origins")),
    _q("starlette", "docs", "GZipMiddleware minimum_size", ("middleware.md", "GZipMiddleware", "minimum_size")),
    _q("starlette", "docs", "TrustedHostMiddleware allowed_hosts", ("middleware.md", "TrustedHostMiddleware", "allowed_hosts")),
    _q("starlette", "docs", "SessionMiddleware secret_key and max_age", ("middleware.md", "SessionMiddleware", "secret_key")),
    _q("starlette", "docs", "BaseHTTPMiddleware dispatch method", ("middleware.md", "BaseHTTPMiddleware", "dispatch")),
    _q("starlette", "docs", "BackgroundTasks add_task", ("background.md", "BackgroundTasks", "add_task")),
    _q("starlette", "docs", "request.path_params", ("requests.md", "Path Parameters", "path_params")),
    _q("starlette", "docs", "request.query_params", ("requests.md", "Query Parameters", "query_params")),
    _q("starlette", "docs", "reading the request body as JSON or form data", ("requests.md", "Body", "request.json")),
    _q("starlette", "docs", "url_for reverse URL lookups", ("routing.md", "Reverse URL lookups", "url_for")),
    _q("starlette", "docs", "Host-based routing", ("routing.md", "Host-based routing", "Host(")),
    _q("starlette", "docs", "WebSocket send_text and receive_text", ("websockets.md", "", "send_text")),
    _q("starlette", "docs", "TestClient websocket_connect", ("testclient.md", "Testing WebSocket sessions", "websocket_connect")),
    _q("starlette", "docs", "Jinja2Templates TemplateResponse", ("templates.md", "Jinja2Templates", "TemplateResponse")),
    _q("starlette", "docs", "StaticFiles html mode", ("staticfiles.md", "StaticFiles", "html")),
    _q("starlette", "docs", "Config CommaSeparatedStrings", ("config.md", "CommaSeparatedStrings", "CommaSeparatedStrings")),
    _q("starlette", "docs", "lifespan state", ("lifespan.md", "Lifespan State", "state")),
    _q("starlette", "docs", "raise HTTPException with a status code", ("exceptions.md", "HTTPException", "HTTPException")),
    _q("starlette", "docs", "@requires decorator with scopes", ("authentication.md", "Permissions", "requires")),
    _q("starlette", "docs", "HTTPEndpoint class-based endpoints", ("endpoints.md", "HTTPEndpoint", "HTTPEndpoint")),
    _q("starlette", "other", "How do I compress responses?", ("middleware.md", "GZipMiddleware", "GZipMiddleware")),
    _q("starlette", "other", "Let a browser app on another domain call my API", ("middleware.md", "CORSMiddleware", "CORSMiddleware")),
    _q("starlette", "other", "Run some code after the response has been sent to the client", ("background.md", "", "BackgroundTask")),
    _q("starlette", "other", "Force every visitor onto https", ("middleware.md", "HTTPSRedirectMiddleware", "HTTPSRedirectMiddleware")),
    _q("starlette", "other", "Build the link to a named route in my code", ("routing.md", "Reverse URL lookups", "url_for")),
    _q("starlette", "other", "Open a database pool when the server boots and close it when it shuts down", ("lifespan.md", "", "lifespan")),
    _q("starlette", "other", "Find out the IP of whoever sent the request", ("requests.md", "Client Address", "client")),
    _q("starlette", "other", "Only let signed-in users reach an endpoint", ("authentication.md", "Permissions", "requires")),
    _q("starlette", "other", "Why is my /users/me path never matched?", ("routing.md", "Route priority", "users/me")),
    _q("starlette", "other", "Remember a user between requests in a signed cookie", ("middleware.md", "SessionMiddleware", "SessionMiddleware")),
    _q("starlette", "other", "Exercise my app in unit tests without starting a server", ("testclient.md", "", "TestClient")),
    _q("starlette", "other", "Change how JSON bodies are encoded, e.g. pretty printed", ("responses.md", "Custom JSON serialization", "render")),
    _q("starlette", "other", "Keep the API key out of tracebacks and logs", ("config.md", "Secrets", "Secret")),
    _q("starlette", "other", "Put a group of routes under a common prefix", ("routing.md", "Submounting routes", "Mount")),
    _q("starlette", "other", "Protect against requests with a forged hostname", ("middleware.md", "TrustedHostMiddleware", "TrustedHostMiddleware")),
    # -- pino 9.6.0 (Markdown) ---------------------------------------------------------------------------------
    _q("pino", "docs", "pino.destination with sync false", ("api.md", "pino.destination", "destination")),
    _q("pino", "docs", "redact paths with a censor", ("redaction.md", "", "redact"), ("api.md", "redact", "redact")),
    _q("pino", "docs", "child logger bindings", ("child-loggers.md", "", "child"), ("api.md", "logger.child", "child")),
    _q("pino", "docs", "pino.transport with several targets", ("transports.md", "", "targets"), ("api.md", "pino.transport", "targets")),
    _q("pino", "docs", "customLevels option", ("api.md", "customLevels", "customLevels")),
    _q("pino", "docs", "useOnlyCustomLevels", ("api.md", "useOnlyCustomLevels", "useOnlyCustomLevels")),
    _q("pino", "docs", "pino-pretty", ("pretty.md", "", "pino-pretty")),
    _q("pino", "docs", "browser asObject", ("browser.md", "asObject", "asObject")),
    _q("pino", "docs", "serializers option", ("api.md", "serializers", "serializers")),
    _q("pino", "docs", "pino.stdTimeFunctions isoTime", ("api.md", "", "isoTime")),
    _q("pino", "docs", "formatters level and bindings", ("api.md", "formatters", "formatters")),
    _q("pino", "docs", "mixin function", ("api.md", "mixin", "mixin")),
    _q("pino", "docs", "pino-http with Express", ("web.md", "Express", "pino-http")),
    _q("pino", "docs", "Fastify logger", ("web.md", "Fastify", "fastify")),
    _q("pino", "docs", "pino.multistream", ("api.md", "pino.multistream", "multistream")),
    _q("pino", "docs", "logger.flush", ("api.md", "logger.flush", "flush")),
    _q("pino", "docs", "messageKey option", ("api.md", "messageKey", "messageKey")),
    _q("pino", "docs", "esbuild plugin for bundling", ("bundling.md", "Esbuild", "esbuild")),
    _q("pino", "docs", "logger.isLevelEnabled", ("api.md", "isLevelEnabled", "isLevelEnabled")),
    _q("pino", "docs", "log rotation with logrotate", ("help.md", "Log rotation", "logrotate")),
    _q("pino", "other", "Hide passwords and tokens in my log output", ("redaction.md", "", "redact"), ("api.md", "redact", "redact")),
    _q("pino", "other", "Make the logs readable for humans while developing", ("pretty.md", "", "pino-pretty")),
    _q("pino", "other", "Tag every line logged during one request with its request id", ("child-loggers.md", "", "child"), ("api.md", "logger.child", "child")),
    _q("pino", "other", "Print dates as ISO strings rather than epoch milliseconds", ("api.md", "", "isoTime")),
    _q("pino", "other", "Rename the msg property of each line", ("api.md", "messageKey", "messageKey")),
    _q("pino", "other", "Stop adding pid and hostname to every line", ("api.md", "base", "hostname")),
    _q("pino", "other", "Define my own severity names and numbers", ("api.md", "customLevels", "customLevels")),
    _q("pino", "other", "Add a computed field to every line at the moment it is written", ("api.md", "mixin", "mixin")),
    _q("pino", "other", "Record each incoming HTTP call in an express server", ("web.md", "Express", "pino-http")),
    _q("pino", "other", "Ship the logs off to other processes without blocking the event loop", ("transports.md", "", "worker")),
    _q("pino", "other", "Write info lines to one file and errors to another", ("api.md", "multistream", "multistream"), ("help.md", "", "multistream"), ("transports.md", "", "targets")),
    _q("pino", "other", "Show the level as a word like info rather than a number", ("help.md", "labels", "label"), ("api.md", "formatters", "label")),
    _q("pino", "other", "Print objects in the browser dev tools console instead of strings", ("browser.md", "asObject", "asObject")),
    _q("pino", "other", "Turn off all output, for example in tests", ("api.md", "enabled", "enabled"), ("api.md", "silent", "silent")),
    _q("pino", "other", "Why can the last lines be missing when the process dies suddenly?", ("asynchronous.md", "", "lost")),
    _q("pino", "other", "Make webpack copy the worker files the logger needs", ("bundling.md", "", "webpack")),
    # -- Click 8.1.8 (reStructuredText) ------------------------------------------------------------------------
    _q("click", "docs", "option default value", ("options.rst", "Basic Value Options", "default")),
    _q("click", "docs", "multiple options with multiple=True", ("options.rst", "Multiple Options", "multiple=True")),
    _q("click", "docs", "boolean flags is_flag", ("options.rst", "Boolean Flags", "is_flag")),
    _q("click", "docs", "click.Choice options", ("options.rst", "Choice Options", "Choice")),
    _q("click", "docs", "password prompts with hide_input", ("options.rst", "Password Prompts", "hide_input"), ("options.rst", "Password", "password_option")),
    _q("click", "docs", "auto_envvar_prefix environment variables", ("options.rst", "Environment Variables", "auto_envvar_prefix")),
    _q("click", "docs", "click.File arguments", ("handling-files.rst", "File Arguments", "click.File"), ("arguments.rst", "", "click.File")),
    _q("click", "docs", "nargs=-1 variadic arguments", ("arguments.rst", "Multiple Arguments", "nargs=-1")),
    _q("click", "docs", "pass_context and ctx.obj", ("commands.rst", "Nested Handling and Contexts", "ctx.obj")),
    _q("click", "docs", "CliRunner invoke", ("testing.rst", "Basic Testing", "CliRunner")),
    _q("click", "docs", "isolated_filesystem", ("testing.rst", "File System Isolation", "isolated_filesystem")),
    _q("click", "docs", "click.style ANSI colors", ("utils.rst", "ANSI Colors", "style")),
    _q("click", "docs", "progressbar", ("utils.rst", "Progress Bars", "progressbar")),
    _q("click", "docs", "click.confirm confirmation prompts", ("prompts.rst", "Confirmation Prompts", "confirm")),
    _q("click", "docs", "click.edit launching editors", ("utils.rst", "Launching Editors", "edit")),
    _q("click", "docs", "IntRange clamp", ("options.rst", "Range Options", "IntRange")),
    _q("click", "docs", "echo_via_pager", ("utils.rst", "Pager Support", "echo_via_pager")),
    _q("click", "docs", "invoke_without_command on a group", ("commands.rst", "Group Invocation Without Command", "invoke_without_command")),
    _q("click", "docs", "chain=True multi command chaining", ("commands.rst", "Multi Command Chaining", "chain=True")),
    _q("click", "docs", "is_eager callbacks", ("options.rst", "Eager", "is_eager")),
    _q("click", "docs", "click.getchar", ("utils.rst", "Getting Characters", "getchar")),
    _q("click", "docs", "get_app_dir", ("utils.rst", "Application Folders", "get_app_dir")),
    _q("click", "other", "Accept the same flag several times to build a list", ("options.rst", "Multiple Options", "multiple=True")),
    _q("click", "other", "Fall back to a shell variable when the option is not given", ("options.rst", "Environment Variables", "envvar")),
    _q("click", "other", "Ask for a secret without echoing what is typed", ("options.rst", "Password Prompts", "hide_input")),
    _q("click", "other", "Restrict a value to a fixed set of words", ("options.rst", "Choice Options", "Choice")),
    _q("click", "other", "Ask are you sure before dropping the database", ("options.rst", "Yes Parameters", "confirmation_option"), ("prompts.rst", "Confirmation", "confirm")),
    _q("click", "other", "Print colored text in the terminal", ("utils.rst", "ANSI Colors", "style")),
    _q("click", "other", "Show how far along a long loop is", ("utils.rst", "Progress Bars", "progressbar")),
    _q("click", "other", "Write unit tests for my command line tool", ("testing.rst", "", "CliRunner")),
    _q("click", "other", "Share a database connection between subcommands", ("commands.rst", "Nested Handling and Contexts", "ctx.obj"), ("complex.rst", "", "ctx.obj")),
    _q("click", "other", "Turn on tab completion in bash", ("shell-completion.rst", "Enabling Completion", "_COMPLETE")),
    _q("click", "other", "Let the user write a longer message in their text editor", ("utils.rst", "Launching Editors", "edit")),
    _q("click", "other", "Take any number of file names on the command line", ("arguments.rst", "Multiple Arguments", "nargs=-1")),
    _q("click", "other", "Split my tool into subcommands like git does", ("commands.rst", "", "group"), ("quickstart.rst", "Nesting Commands", "group"), ("complex.rst", "", "group")),
    _q("click", "other", "Keep a number between 0 and 100 even when a bigger one is typed", ("options.rst", "Range Options", "clamp")),
    _q("click", "other", "Show long output one screen at a time like less", ("utils.rst", "Pager Support", "echo_via_pager")),
    _q("click", "other", "Read from standard input when the user passes a dash", ("handling-files.rst", "", "stdin")),
    _q("click", "other", "Install my script as a command people can run", ("setuptools.rst", "", "entry_points"), ("setuptools.rst", "", "console_scripts")),
    _q("click", "other", "Import subcommands only when they are run, so startup is fast", ("complex.rst", "Lazily Loading", "LazyGroup")),
    _q("click", "other", "Print --version and exit", ("options.rst", "", "version_option")),
)  # fmt: skip
