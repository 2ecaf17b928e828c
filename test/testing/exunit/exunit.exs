# What ExUnit 1.14 does, that ts-otp/testing follows: run with `elixir exunit.exs` (see run.sh).
# seed: 0 and max_cases: 1 so the tests run in the order written.
ExUnit.start(autorun: false, seed: 0, max_cases: 1)
defmodule W do
  use GenServer
  def start_link(id), do: GenServer.start_link(__MODULE__, id)
  def init(id), do: (Process.flag(:trap_exit, true); IO.puts("start #{id}"); {:ok, id})
  def terminate(r, id), do: IO.puts("stop #{id} #{inspect r}")
end
defmodule T do
  use ExUnit.Case
  test "order" do
    for id <- [:a, :b, :c], do: start_supervised!(%{id: id, start: {W, :start_link, [id]}})
    on_exit(fn -> IO.puts("on_exit 1") end)
    on_exit(fn -> IO.puts("on_exit 2") end)
  end
  test "assert_receive failure" do
    send(self(), :noise)
    send(self(), {:other, 1})
    assert_receive {:ok, _}, 10
  end
  test "refute_receive failure" do
    send(self(), {:crash, 1})
    refute_receive {:crash, _}
  end
  test "empty" do
    assert_receive :x, 0
  end
  test "start failure" do
    start_supervised!(%{id: :db, start: {Kernel, :apply, [fn -> {:error, :econnrefused} end, []]}})
  end
  test "many messages" do
    for i <- 1..12, do: send(self(), {:n, i})
    assert_receive {:n, 99}, 0
  end
  test "timeouts" do
    IO.inspect({Application.fetch_env!(:ex_unit, :assert_receive_timeout), Application.fetch_env!(:ex_unit, :refute_receive_timeout)})
  end
end
ExUnit.run()
