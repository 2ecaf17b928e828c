# The Elixir twin of bench/workloads/agent.ts: 1,000,000 sequential Agent.get and Agent.update
# calls from one process, the funs captured once outside the loop. Figures in calls per second.
Code.require_file("bench_helper.exs", __DIR__)

defmodule AgentBench do
  @calls 1_000_000

  def get, do: run(fn a -> Agent.get(a, &read/1) end, 0)
  def update, do: run(fn a -> Agent.update(a, &increment/1) end, @calls)

  defp read(n), do: n
  defp increment(n), do: n + 1

  defp run(one, expected) do
    {:ok, a} = Agent.start(fn -> 0 end)
    ms = BenchHelper.ms(fn -> loop(a, one, @calls) end)
    ^expected = Agent.get(a, &read/1)
    Agent.stop(a)
    @calls / ms * 1000
  end

  defp loop(_a, _one, 0), do: :ok
  defp loop(a, one, n), do: (one.(a); loop(a, one, n - 1))
end

BenchHelper.run(%{"agent-get" => {&AgentBench.get/0, 5}, "agent-update" => {&AgentBench.update/0, 5}}, System.argv())
