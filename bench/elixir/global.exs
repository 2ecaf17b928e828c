# Elixir twin of bench/workloads/global.ts: 1,000 processes registered under :global names, then
# 1,000,000 :global.whereis_name lookups cycling through them, in one process; the figure is the
# wall time of the lookups, in ms.
Code.require_file("bench_helper.exs", __DIR__)

defmodule GlobalBench do
  @names 1_000

  def run do
    names = List.to_tuple(for i <- 0..(@names - 1), do: "name-#{i}")
    for i <- 0..(@names - 1) do
      :yes = :global.register_name(elem(names, i), spawn(fn -> receive do: (_ -> :ok) end))
    end
    lookups = BenchHelper.scaled(1_000_000)
    ms = BenchHelper.ms(fn -> ^lookups = lookup(names, 0, lookups, 0) end)
    for i <- 0..(@names - 1), do: (pid = :global.whereis_name(elem(names, i)); :global.unregister_name(elem(names, i)); Process.exit(pid, :kill))
    ms
  end

  defp lookup(_names, n, n, found), do: found

  defp lookup(names, i, n, found) do
    case :global.whereis_name(elem(names, rem(i, @names))) do
      :undefined -> lookup(names, i + 1, n, found)
      _pid -> lookup(names, i + 1, n, found + 1)
    end
  end
end

BenchHelper.run(%{"global-whereis" => {&GlobalBench.run/0, 7}}, System.argv())
