#!/bin/sh
# Runs every K scenario on Erlang/OTP 25 (needs `escript`) and compares its output with the recorded trace (`-r` records instead).
here=$(dirname "$0")
exec "$here/../replay.sh" "$here" K "$@"
