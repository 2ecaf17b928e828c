# id: H05
# title: await, yield and shutdown from a process that is not the owner raise ArgumentError; the task is unaffected
Logger.configure(level: :none)

defmodule H05 do
  def run do
    parent = self()
    t = Task.async(fn -> receive do :go -> :ok end end)
    spawn(fn ->
      for f <- [&Task.await(&1, 10), &Task.yield(&1, 10), &Task.shutdown(&1)] do
        try do
          f.(t)
          send(parent, :no_error)
        rescue
          e in ArgumentError -> send(parent, {:raised, e.__struct__})
        end
      end
    end)
    for _ <- 1..3, do: receive(do: (m -> IO.puts("other #{inspect(m)}")))
    send(t.pid, :go)
    IO.puts("owner_await #{inspect(Task.await(t))}")
  end
end

H05.run()
