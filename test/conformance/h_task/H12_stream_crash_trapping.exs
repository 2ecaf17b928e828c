# id: H12
# title: async_stream in a caller that traps exits gives {:exit, reason} for a crashed task and leaves no EXIT message; a caller that does not trap exits dies with the task's reason
Logger.configure(level: :none)

defmodule H12 do
  def run do
    Process.flag(:trap_exit, true)
    r = Task.async_stream([1, 2, 3], fn i -> if i == 2, do: exit(:two), else: i end) |> Enum.to_list()
    IO.puts("items #{inspect(r)}")
    {:messages, msgs} = Process.info(self(), :messages)
    IO.puts("left #{inspect(msgs)}")
    {pid, mon} = spawn_monitor(fn -> Task.async_stream([1], fn _ -> exit(:crash) end) |> Enum.to_list() end)
    receive do {:DOWN, ^mon, :process, ^pid, reason} -> IO.puts("caller_down #{inspect(reason)}") end
  end
end

H12.run()
