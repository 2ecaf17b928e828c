# id: J12
# title: a cast function that raises: cast returned :ok, the agent dies with the error, a pending get fails with it
Code.require_file("j_help.exs", __DIR__)
{:ok, a} = Agent.start(fn -> 1 end)
ref = Process.monitor(a)
J.show("cast", Agent.cast(a, fn _ -> raise ArgumentError, "bad" end))
J.show("down", J.down(ref))
J.show("get", J.call_exit(fn -> Agent.get(a, & &1) end))
