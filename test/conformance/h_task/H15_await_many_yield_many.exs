# id: H15
# title: await_many returns results in task order and exits on the first task that goes down; yield_many pairs each task with its outcome
Logger.configure(level: :none)

defmodule H15 do
  def run do
    a = Task.async(fn -> receive do :go -> :a end end)
    b = Task.async(fn -> :b end)
    spawn(fn -> Process.sleep(10); send(a.pid, :go) end)
    IO.puts("await_many #{inspect(Task.await_many([a, b]))}")
    Process.flag(:trap_exit, true)
    w = Task.async(fn -> receive do :never -> :ok end end)
    f = Task.async(fn -> exit(:bad) end)
    try do
      Task.await_many([w, f], 1000)
    catch
      :exit, {reason, {Task, :await_many, [_, 1000]}} -> IO.puts("await_many_exit #{inspect(reason)}")
    end
    ok = Task.async(fn -> :ok end)
    crashed = Task.async(fn -> exit(:crash) end)
    running = Task.async(fn -> receive do :never -> :ok end end)
    pairs = Task.yield_many([ok, crashed, running], 50)
    IO.puts("yield_many #{inspect(Enum.map(pairs, fn {_t, r} -> r end))}")
    t = Task.async(fn -> receive do :never -> :ok end end)
    try do
      Task.await_many([t], 20)
    catch
      :exit, {:timeout, {Task, :await_many, [_, 20]}} -> IO.puts("await_many_timeout")
    end
  end
end

H15.run()
