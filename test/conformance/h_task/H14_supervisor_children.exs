# id: H14
# title: Task.Supervisor.start_child, children and terminate_child; max_children refuses a task
Logger.configure(level: :none)

defmodule H14 do
  def run do
    {:ok, sup} = Task.Supervisor.start_link(max_children: 2)
    {:ok, a} = Task.Supervisor.start_child(sup, fn -> receive do :never -> :ok end end)
    {:ok, b} = Task.Supervisor.start_child(sup, fn -> receive do :never -> :ok end end)
    IO.puts("children #{Task.Supervisor.children(sup) == [a, b]}")
    IO.puts("full #{inspect(Task.Supervisor.start_child(sup, fn -> :ok end))}")
    try do
      Task.Supervisor.async(sup, fn -> :ok end)
    rescue
      e in RuntimeError -> IO.puts("async_full raises #{String.starts_with?(e.message, "reached the maximum number of tasks")}")
    end
    IO.puts("terminate #{inspect(Task.Supervisor.terminate_child(sup, a))}")
    IO.puts("again #{inspect(Task.Supervisor.terminate_child(sup, a))}")
    IO.puts("alive_a #{Process.alive?(a)}")
    IO.puts("children #{Task.Supervisor.children(sup) == [b]}")
  end
end

H14.run()
