# id: J09
# title: stop with a reason: :ok once the agent exited with that reason; stopping a dead agent exits with noproc
Code.require_file("j_help.exs", __DIR__)
{:ok, a} = Agent.start(fn -> 1 end)
ref = Process.monitor(a)
J.show("stop", Agent.stop(a, :shutdown))
J.show("down", J.down(ref))
{:ok, b} = Agent.start(fn -> 1 end)
ref = Process.monitor(b)
J.show("stop", Agent.stop(b, {:shutdown, :bye}))
J.show("down", J.down(ref))
J.show("stop", J.call_exit(fn -> Agent.stop(b) end))
J.show("get", J.call_exit(fn -> Agent.get(b, & &1) end))
