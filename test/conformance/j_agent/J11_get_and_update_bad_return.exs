# id: J11
# title: a get_and_update function that returns no {reply, state} pair: the agent stops with {:bad_return_value, value}
Code.require_file("j_help.exs", __DIR__)
{:ok, a} = Agent.start(fn -> 1 end)
ref = Process.monitor(a)
J.show("get_and_update", J.call_exit(fn -> Agent.get_and_update(a, fn s -> s end) end))
J.show("down", J.down(ref))
