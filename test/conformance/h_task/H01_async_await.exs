# id: H01
# title: async links and monitors the task; the reply is {ref, result}, then a DOWN normal; await returns the result
Logger.configure(level: :none)

defmodule H01 do
  def run do
    t = Task.async(fn -> receive do :go -> :forty_two end end)
    {:links, links} = Process.info(t.pid, :links)
    IO.puts("linked_to_owner #{links == [self()]}")
    {:monitored_by, by} = Process.info(t.pid, :monitored_by)
    IO.puts("monitored_by_owner #{self() in by}")
    send(t.pid, :go)
    receive do
      {ref, result} when ref == t.ref -> IO.puts("reply #{inspect(result)}")
    end
    receive do
      {:DOWN, ref, :process, pid, reason} when ref == t.ref and pid == t.pid -> IO.puts("down #{inspect(reason)}")
    end
    t2 = Task.async(fn -> 7 end)
    IO.puts("await #{inspect(Task.await(t2))}")
    {:messages, msgs} = Process.info(self(), :messages)
    IO.puts("left #{length(msgs)}")
  end
end

H01.run()
