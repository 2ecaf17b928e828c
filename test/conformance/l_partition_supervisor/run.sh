#!/bin/sh
# Runs every L scenario on real Elixir 1.14 and compares its output with the recorded trace
# (`-r` records instead).
cd "$(dirname "$0")" || exit 2
record=0; [ "$1" = "-r" ] && record=1
fail=0
for f in L[0-9]*.exs; do
  out=$(timeout 60 elixir "$f" 2>/dev/null)
  if [ $record = 1 ]; then printf '%s\n' "$out" > "${f%.exs}.trace"
  elif [ "$out" != "$(cat "${f%.exs}.trace")" ]; then
    echo "MISMATCH $f"; printf '%s\n' "$out" | diff "${f%.exs}.trace" - ; fail=1
  fi
done
[ $fail = 0 ] && echo "all L scenarios match" || exit 1
