#!/bin/sh
# Replays exunit.exs with Elixir 1.14 and compares with exunit.trace, leaving out what varies
# from run to run (timings, function ids).
cd "$(dirname "$0")" || exit 1
elixir exunit.exs 2>&1 | sed -E 's/#Function<[^>]*>/#Function<...>/; /^Finished in/d' | diff -u exunit.trace - && echo "exunit: matches"
