#!/bin/sh
# Runs every O scenario on Erlang/OTP 25 (needs `escript`) and compares its output with the recorded trace (`-r` records instead).
here=$(dirname "$0")
exec "$here/../replay.sh" "$here" O "$@"
