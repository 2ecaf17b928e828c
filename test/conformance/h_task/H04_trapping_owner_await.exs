# id: H04
# title: an owner that traps exits gets the EXIT message, and await exits with {reason, {Task, :await, [task, timeout]}}
Logger.configure(level: :none)

defmodule H04 do
  def run do
    Process.flag(:trap_exit, true)
    t = Task.async(fn -> exit(:boom) end)
    try do
      Task.await(t, 1000)
    catch
      :exit, {reason, {Task, :await, [task, 1000]}} -> IO.puts("await_exit #{inspect(reason)} same_task #{task == t}")
    end
    receive do {:EXIT, pid, reason} when pid == t.pid -> IO.puts("exit_msg #{inspect(reason)}") end
  end
end

H04.run()
