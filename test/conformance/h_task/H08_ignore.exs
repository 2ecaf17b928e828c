# id: H08
# title: ignore unlinks and forgets a running task: its late reply and its crash pass the owner by
Logger.configure(level: :none)

defmodule H08 do
  def run do
    {:links, initial_links} = Process.info(self(), :links)
    t = Task.async(fn -> receive do :go -> exit(:late_crash) end end)
    IO.puts("ignore #{inspect(Task.ignore(t))}")
    mon = Process.monitor(t.pid)
    send(t.pid, :go)
    receive do {:DOWN, ^mon, _, _, reason} -> IO.puts("task_down #{inspect(reason)}") end
    r = Task.async(fn -> receive do :go -> :late_reply end end)
    nil = Task.ignore(r)
    mon2 = Process.monitor(r.pid)
    send(r.pid, :go)
    receive do {:DOWN, ^mon2, _, _, reason} -> IO.puts("replier_down #{inspect(reason)}") end
    {:messages, msgs} = Process.info(self(), :messages)
    IO.puts("left #{inspect(msgs)}")
    {:links, links} = Process.info(self(), :links)
    IO.puts("links_left #{inspect(links -- initial_links)}")
    done = Task.async(fn -> :was_done end)
    Process.sleep(20)
    IO.puts("done #{inspect(Task.ignore(done))}")
  end
end

H08.run()
