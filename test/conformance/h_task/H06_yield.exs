# id: H06
# title: yield gives nil while the task runs (it stays monitored), {:ok, v} once it replied, {:exit, reason} for a crash seen by a trapping owner
Logger.configure(level: :none)

defmodule H06 do
  def run do
    t = Task.async(fn -> receive do :go -> :v end end)
    IO.puts("first #{inspect(Task.yield(t, 10))}")
    send(t.pid, :go)
    IO.puts("second #{inspect(Task.yield(t, 1000))}")
    Process.flag(:trap_exit, true)
    c = Task.async(fn -> exit(:crashed) end)
    IO.puts("crashed #{inspect(Task.yield(c, 1000))}")
    n = Task.async(fn -> exit(:normal) end)
    IO.puts("normal #{inspect(Task.yield(n, 1000))}")
  end
end

H06.run()
