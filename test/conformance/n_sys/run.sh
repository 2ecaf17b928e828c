#!/bin/sh
# Runs every N scenario on real Erlang/OTP and compares its output with the recorded trace
# (`-r` records instead). Needs `escript`.
cd "$(dirname "$0")" || exit 2
record=0; [ "$1" = "-r" ] && record=1
fail=0
for f in N*.escript; do
  out=$(timeout 60 escript "$f" 2>/dev/null)
  if [ $record = 1 ]; then printf '%s\n' "$out" > "${f%.escript}.trace"
  elif [ "$out" != "$(cat "${f%.escript}.trace")" ]; then
    echo "MISMATCH $f"; printf '%s\n' "$out" | diff "${f%.escript}.trace" - ; fail=1
  fi
done
[ $fail = 0 ] && echo "all N scenarios match" || exit 1
