# The Elixir twin of bench/workloads/state_machine.ts: 1,000,000 events to a two-state
# :gen_statem, each a change of state, in ms: as calls (from the bench process), and as casts then
# a call, the machine held with :erlang.suspend_process while the casts are sent, so they queue up
# as they do behind a Node process that casts in one step.
Code.require_file("bench_helper.exs", __DIR__)

defmodule Toggle do
  @behaviour :gen_statem

  @impl true
  def callback_mode, do: :state_functions

  @impl true
  def init(_), do: {:ok, :a, 0}

  def a(:cast, :flip, n), do: {:next_state, :b, n + 1}
  def a({:call, from}, :flip, n), do: {:next_state, :b, n + 1, [{:reply, from, n + 1}]}
  def a({:call, from}, :count, n), do: {:keep_state_and_data, [{:reply, from, n}]}

  def b(:cast, :flip, n), do: {:next_state, :a, n + 1}
  def b({:call, from}, :flip, n), do: {:next_state, :a, n + 1, [{:reply, from, n + 1}]}
  def b({:call, from}, :count, n), do: {:keep_state_and_data, [{:reply, from, n}]}
end

defmodule StateMachineBench do
  def calls do
    n = BenchHelper.scaled(1_000_000)
    {:ok, pid} = :gen_statem.start(Toggle, [], [])
    ms = BenchHelper.ms(fn -> ^n = call_n(pid, n, 0) end)
    :gen_statem.stop(pid)
    ms
  end

  defp call_n(_pid, 0, last), do: last
  defp call_n(pid, k, _), do: call_n(pid, k - 1, :gen_statem.call(pid, :flip))

  def casts do
    n = BenchHelper.scaled(1_000_000)
    {:ok, pid} = :gen_statem.start(Toggle, [], spawn_opt: [message_queue_data: :off_heap])
    ms =
      BenchHelper.ms(fn ->
        :erlang.suspend_process(pid)
        cast_n(pid, n)
        :erlang.resume_process(pid)
        ^n = :gen_statem.call(pid, :count, :infinity)
      end)
    :gen_statem.stop(pid)
    ms
  end

  defp cast_n(_pid, 0), do: :ok
  defp cast_n(pid, k), do: (:gen_statem.cast(pid, :flip); cast_n(pid, k - 1))
end

BenchHelper.run(
  %{"state-machine-call" => {&StateMachineBench.calls/0, 5}, "state-machine-cast" => {&StateMachineBench.casts/0, 5}},
  System.argv()
)
