# id: H07
# title: shutdown gives nil for a task that stops as asked, {:exit, :killed} for one killed after the timeout, nil for brutal_kill, {:ok, v} for one that had replied, {:exit, reason} for one that chose its reason
Logger.configure(level: :none)

defmodule H07 do
  def run do
    parent = self()
    running = Task.async(fn -> receive do :never -> :ok end end)
    IO.puts("running #{inspect(Task.shutdown(running))}")
    trapping = Task.async(fn -> Process.flag(:trap_exit, true); send(parent, :trapping); receive do :never -> :ok end end)
    receive do :trapping -> :ok end
    IO.puts("trapping #{inspect(Task.shutdown(trapping, 20))}")
    brutal = Task.async(fn -> receive do :never -> :ok end end)
    IO.puts("brutal #{inspect(Task.shutdown(brutal, :brutal_kill))}")
    done = Task.async(fn -> :result end)
    Process.sleep(20)
    IO.puts("replied #{inspect(Task.shutdown(done))}")
    chooser = Task.async(fn -> Process.flag(:trap_exit, true); send(parent, :trapping); receive do {:EXIT, _, r} -> exit({:cleaned, r}) end end)
    receive do :trapping -> :ok end
    IO.puts("chose #{inspect(Task.shutdown(chooser))}")
    {:messages, msgs} = Process.info(self(), :messages)
    IO.puts("left #{length(msgs)}")
  end
end

H07.run()
