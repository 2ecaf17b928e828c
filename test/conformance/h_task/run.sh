#!/bin/sh
# Runs every H scenario on Elixir 1.14 / Erlang/OTP 25 (needs `elixir`) and compares its output with the recorded trace (`-r` records instead).
here=$(dirname "$0")
exec "$here/../replay.sh" "$here" H "$@"
