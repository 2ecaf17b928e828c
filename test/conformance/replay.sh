#!/bin/sh
# Replays one conformance group: runs each scenario script of DIR whose name starts with LETTER
# and a digit (Elixir `.exs` with `elixir`, Erlang `.escript` with `escript`) and compares its
# output with the trace recorded beside it; `-r` records the traces instead.
# Usage: replay.sh DIR LETTER [-r]   (each group's run.sh calls it)
dir=$1; letter=$2
cd "$dir" || exit 2
record=0; [ "$3" = "-r" ] && record=1
fail=0
for f in "$letter"[0-9]*.exs "$letter"[0-9]*.escript; do
  [ -e "$f" ] || continue
  case $f in *.exs) run=elixir ;; *) run=escript ;; esac
  trace="${f%.*}.trace"
  out=$(timeout 60 $run "$f" 2>/dev/null)
  if [ $record = 1 ]; then printf '%s\n' "$out" > "$trace"
  elif [ "$out" != "$(cat "$trace")" ]; then
    echo "MISMATCH $f"; printf '%s\n' "$out" | diff "$trace" - ; fail=1
  fi
done
[ $fail = 0 ] && echo "all $letter scenarios match" || exit 1
