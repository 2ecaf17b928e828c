# Shared by the Elixir twins of bench/workloads/*.ts (each bench/elixir/<group>.exs).
# bench/run.ts runs every bench/elixir/*.exs but this one as
#   elixir --erl "+S 1:1 +P 4194304" bench/elixir/<group>.exs <workload ...>
# and each script reports, through BenchHelper.run/2, the workloads it knows among those named:
# one line per workload, its name, the median figure in the unit the Node side uses, then every
# run's figure, as bench/erlang/bench.escript does. One warm-up run, then the runs, each after a
# garbage collection; BENCH_SCALE multiplies sizes through scaled/1, as on the Node side.
defmodule BenchHelper do
  @doc "Runs the workloads of `known` (name => {fun, runs}) that `args` names; all of them without names."
  def run(known, args) do
    Logger.configure(level: :none)
    :persistent_term.put(:bench_scale, read_scale(System.get_env("BENCH_SCALE")))
    names = if args == [], do: Map.keys(known) |> Enum.sort(), else: Enum.filter(args, &Map.has_key?(known, &1))
    for name <- names do
      {fun, runs} = Map.fetch!(known, name)
      :erlang.garbage_collect()
      _ = fun.()
      figures = for _ <- 1..runs, do: (:erlang.garbage_collect(); fun.())
      IO.puts("#{name} #{:erlang.float_to_binary(median(figures) / 1, decimals: 3)} " <>
                Enum.map_join(figures, " ", &:erlang.float_to_binary(&1 / 1, decimals: 1)))
    end
  end

  def scaled(n), do: max(1, round(n * :persistent_term.get(:bench_scale)))

  @doc "Wall time of `fun` in milliseconds, as a float."
  def ms(fun) do
    t0 = System.monotonic_time(:nanosecond)
    fun.()
    (System.monotonic_time(:nanosecond) - t0) / 1.0e6
  end

  def median(values) do
    sorted = Enum.sort(values)
    n = length(sorted)
    if rem(n, 2) == 1, do: Enum.at(sorted, div(n, 2)), else: (Enum.at(sorted, div(n, 2) - 1) + Enum.at(sorted, div(n, 2))) / 2
  end

  defp read_scale(nil), do: 1
  defp read_scale(""), do: 1
  defp read_scale(text) do
    case Float.parse(text) do
      {f, ""} when f > 0 -> f
      _ -> raise "BENCH_SCALE wants a positive number, got #{text}"
    end
  end
end
