# Elixir twin of bench/workloads/registry.ts: 10,000 processes each register a key of their own
# in a unique Registry, look it up and unregister it, 100 times, then tell the parent; the figure
# is the wall time from the first spawn to the last message, in ms.
Code.require_file("bench_helper.exs", __DIR__)

defmodule RegistryBench do
  @procs 10_000
  @rounds 100

  def run do
    parent = self()
    BenchHelper.ms(fn ->
      for i <- 0..(@procs - 1) do
        spawn(fn -> send(parent, rounds(i * @rounds, 0, 0)) end)
      end
      total = collect(@procs, 0)
      ^total = @procs * @rounds
    end)
  end

  defp rounds(_base, @rounds, found), do: found

  defp rounds(base, j, found) do
    key = base + j
    {:ok, _} = Registry.register(BenchRegistry, key, j)
    n = length(Registry.lookup(BenchRegistry, key))
    :ok = Registry.unregister(BenchRegistry, key)
    rounds(base, j + 1, found + n)
  end

  defp collect(0, total), do: total
  defp collect(n, total), do: receive(do: (found -> collect(n - 1, total + found)))
end

{:ok, _} = Registry.start_link(keys: :unique, name: BenchRegistry)
BenchHelper.run(%{"registry" => {&RegistryBench.run/0, 7}}, System.argv())
