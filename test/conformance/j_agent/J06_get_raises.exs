# id: J06
# title: a get function that raises: the agent dies with the error, and the caller's call exits with the same reason
Code.require_file("j_help.exs", __DIR__)
{:ok, a} = Agent.start(fn -> 1 end)
ref = Process.monitor(a)
J.show("get", J.call_exit(fn -> Agent.get(a, fn _ -> raise "oops" end) end))
J.show("down", J.down(ref))
J.show("alive", Process.alive?(a))
