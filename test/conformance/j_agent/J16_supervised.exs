# id: J16
# title: child_spec: an agent under a supervisor is restarted with a fresh state after it crashes
Code.require_file("j_help.exs", __DIR__)
J.show("child_spec", Agent.child_spec(fn -> 0 end))
{:ok, sup} = Supervisor.start_link([%{id: :counter, start: {Agent, :start_link, [fn -> 0 end, [name: :counter]]}}], strategy: :one_for_one)
J.show("update", Agent.update(:counter, &(&1 + 5)))
J.show("get", Agent.get(:counter, & &1))
old = Process.whereis(:counter)
ref = Process.monitor(old)
J.show("get", J.call_exit(fn -> Agent.get(:counter, fn _ -> raise "boom" end) end))
J.show("down", J.down(ref))
J.show("get", Agent.get(:counter, & &1))
J.show("restarted", Process.whereis(:counter) != old)
Supervisor.stop(sup)
