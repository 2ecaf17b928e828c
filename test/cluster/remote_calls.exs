# remoteCallsPerSec on Erlang distribution, the twin of remote_calls.ts: node a calls a
# gen_server registered as :counter on node b (another OS process on this host, started with
# :peer), by {Name, Node}, with `concurrency` callers at a time.
#
#     elixir --sname a --erl "+S 1:1" test/cluster/remote_calls.exs [calls=20000] [concurrency=1,16,64] [runs=5]
#
# The last line is one JSON object with the median of each concurrency.
{:module, Counter, bin, _} =
  defmodule Counter do
    @behaviour :gen_server
    def init(n), do: {:ok, n}
    def handle_call({:add, by}, _from, n), do: {:reply, n + by, n + by}
    def handle_cast(_msg, n), do: {:noreply, n}
  end

{calls, levels, runs} =
  case System.argv() do
    [c, l, r] -> {String.to_integer(c), l |> String.split(",") |> Enum.map(&String.to_integer/1), String.to_integer(r)}
    [c, l] -> {String.to_integer(c), l |> String.split(",") |> Enum.map(&String.to_integer/1), 5}
    [c] -> {String.to_integer(c), [1, 16, 64], 5}
    [] -> {20_000, [1, 16, 64], 5}
  end

{:ok, peer, b} = :peer.start_link(%{name: :b, args: [~c"+S", ~c"1:1"]})
{:module, Counter} = :erpc.call(b, :code, :load_binary, [Counter, ~c"counter.exs", bin])
{:ok, _} = :erpc.call(b, :gen_server, :start, [{:local, :counter}, Counter, 0, []])

run = fn concurrency ->
  per = div(calls, concurrency)
  t0 = System.monotonic_time(:microsecond)
  1..concurrency
  |> Enum.map(fn _ -> Task.async(fn -> for _ <- 1..per, do: :gen_server.call({:counter, b}, {:add, 1}) end) end)
  |> Enum.each(&Task.await(&1, :infinity))
  us = System.monotonic_time(:microsecond) - t0
  round(per * concurrency / us * 1_000_000)
end

run.(16)

medians =
  for concurrency <- levels do
    rates = for _ <- 1..runs, do: run.(concurrency)
    Enum.each(rates, &IO.puts("concurrency #{concurrency}: #{&1} calls/s"))
    {"remoteCallsPerSec_c#{concurrency}", Enum.at(Enum.sort(rates), div(runs, 2))}
  end

:peer.stop(peer)
IO.puts("{" <> Enum.map_join([{"calls", calls}, {"runs", runs} | medians], ",", fn {k, v} -> ~s("#{k}":#{v}) end) <> "}")
