# id: H03
# title: a task that crashes takes its owner (not trapping exits) down over the link, with the task's reason
Logger.configure(level: :none)

defmodule H03 do
  def run do
    {pid, mon} = spawn_monitor(fn ->
      t = Task.async(fn -> exit(:boom) end)
      Task.await(t)
    end)
    receive do {:DOWN, ^mon, :process, ^pid, reason} -> IO.puts("owner_down #{inspect(reason)}") end
  end
end

H03.run()
