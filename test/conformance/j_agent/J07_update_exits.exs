# id: J07
# title: an update function that exits: the agent dies with that reason, the call exits with it
Code.require_file("j_help.exs", __DIR__)
{:ok, a} = Agent.start(fn -> 1 end)
ref = Process.monitor(a)
J.show("update", J.call_exit(fn -> Agent.update(a, fn _ -> exit(:custom) end) end))
J.show("down", J.down(ref))
