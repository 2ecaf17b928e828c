#!/bin/sh
# Runs every I scenario on Elixir 1.14 (needs `elixir`) and compares its output with the recorded trace (`-r` records instead).
here=$(dirname "$0")
exec "$here/../replay.sh" "$here" I "$@"
