# id: H10
# title: async_stream with on_timeout: :kill_task gives {:exit, :timeout} (zipped with the input on request) and goes on
Logger.configure(level: :none)

defmodule H10 do
  def run do
    r1 = Task.async_stream([1, 2, 3], fn i -> if i == 2, do: Process.sleep(:infinity), else: i end, timeout: 50, on_timeout: :kill_task) |> Enum.to_list()
    IO.puts("plain #{inspect(r1)}")
    r2 = Task.async_stream([1, 2, 3], fn i -> if i == 2, do: Process.sleep(:infinity), else: i end, timeout: 50, on_timeout: :kill_task, zip_input_on_exit: true) |> Enum.to_list()
    IO.puts("zipped #{inspect(r2)}")
    {:messages, msgs} = Process.info(self(), :messages)
    IO.puts("left #{length(msgs)}")
  end
end

H10.run()
