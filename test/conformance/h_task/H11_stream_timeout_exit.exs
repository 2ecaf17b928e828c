# id: H11
# title: async_stream with the default on_timeout: :exit exits the caller with {:timeout, {Task.Supervised, :stream, [timeout]}}
Logger.configure(level: :none)

defmodule H11 do
  def run do
    {pid, mon} = spawn_monitor(fn ->
      Task.async_stream([1, 2], fn i -> if i == 2, do: Process.sleep(:infinity), else: i end, timeout: 30) |> Enum.to_list()
    end)
    receive do {:DOWN, ^mon, :process, ^pid, reason} -> IO.puts("caller_down #{inspect(reason)}") end
  end
end

H11.run()
