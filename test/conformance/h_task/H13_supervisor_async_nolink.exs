# id: H13
# title: Task.Supervisor.async_nolink: a task that crashes at once gives the caller its real reason (never :noproc) and leaves the caller running
Logger.configure(level: :none)

defmodule H13 do
  def run do
    {:links, initial_links} = Process.info(self(), :links)
    {:ok, sup} = Task.Supervisor.start_link()
    t = Task.Supervisor.async_nolink(sup, fn -> exit(:instant) end)
    receive do {:DOWN, ref, :process, _, reason} when ref == t.ref -> IO.puts("down #{inspect(reason)}") end
    {:links, links} = Process.info(self(), :links)
    IO.puts("caller_links_sup_only #{links -- initial_links == [sup]}")
    t2 = Task.Supervisor.async_nolink(sup, fn -> raise "boom" end)
    case Task.yield(t2, 1000) do
      {:exit, {%RuntimeError{message: m}, _stack}} -> IO.puts("yield exit runtime_error #{m}")
    end
    t3 = Task.Supervisor.async(sup, fn -> :linked end)
    IO.puts("async #{inspect(Task.await(t3))}")
    IO.puts("children_after #{inspect(Task.Supervisor.children(sup))}")
  end
end

H13.run()
