# id: H02
# title: await past its timeout exits the caller with {:timeout, {Task, :await, [task, timeout]}}; the task keeps running and its late reply is dropped
Logger.configure(level: :none)

defmodule H02 do
  def run do
    parent = self()
    {pid, mon} = spawn_monitor(fn ->
      t = Task.async(fn -> receive do :go -> :late end end)
      send(parent, {:task, t})
      try do
        Task.await(t, 20)
      catch
        :exit, reason ->
          send(parent, {:exit_shape, match?({:timeout, {Task, :await, [^t, 20]}}, reason)})
          send(t.pid, :go)
          Process.sleep(50)
          {:messages, msgs} = Process.info(self(), :messages)
          send(parent, {:left, msgs})
          exit(reason)
      end
    end)
    receive do {:task, _} -> :ok end
    receive do {:exit_shape, ok} -> IO.puts("exit_shape #{ok}") end
    receive do {:left, msgs} -> IO.puts("left #{inspect(msgs)}") end
    receive do {:DOWN, ^mon, :process, ^pid, {:timeout, {Task, :await, [_, 20]}}} -> IO.puts("caller_down timeout_await") end
  end
end

H02.run()
