#!/bin/sh
# Runs every N scenario (N50-N69) on Erlang/OTP 25 (needs `escript` and `epmd`, started by the first `-sname` node) and compares its output with the recorded trace (`-r` records instead).
here=$(dirname "$0")
exec "$here/../replay.sh" "$here" N "$@"
