# The Elixir twin of bench/workloads/sys.ts: 1,000,000 sequential GenServer calls from one process
# to a counter traced by a function installed with :sys.install, which counts the in and out
# events it gets. Figures in calls per second.
Code.require_file("bench_helper.exs", __DIR__)

defmodule SysBench.Counter do
  use GenServer
  def init(n), do: {:ok, n}
  def handle_call({:add, by}, _from, n), do: {:reply, n + by, n + by}
end

defmodule SysBench do
  @calls 1_000_000

  def traced_call do
    {:ok, pid} = GenServer.start(SysBench.Counter, 0)
    :ok = :sys.install(pid, {fn count, _event, _name -> count + 1 end, 0})
    ms = BenchHelper.ms(fn -> loop(pid, @calls) end)
    @calls = GenServer.call(pid, {:add, 0})
    GenServer.stop(pid)
    @calls / ms * 1000
  end

  defp loop(_pid, 0), do: :ok
  defp loop(pid, n), do: (GenServer.call(pid, {:add, 1}); loop(pid, n - 1))
end

BenchHelper.run(%{"sys-traced-call" => {&SysBench.traced_call/0, 5}}, System.argv())
