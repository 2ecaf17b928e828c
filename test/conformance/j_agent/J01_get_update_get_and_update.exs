# id: J01
# title: get returns fun(state); update and cast return :ok; get_and_update replies and replaces the state
Code.require_file("j_help.exs", __DIR__)
{:ok, a} = Agent.start(fn -> 1 end)
J.show("get", Agent.get(a, fn s -> s * 100 end))
J.show("update", Agent.update(a, fn s -> s + 1 end))
J.show("get", Agent.get(a, & &1))
J.show("get_and_update", Agent.get_and_update(a, fn s -> {s * 10, s + 10} end))
J.show("get", Agent.get(a, & &1))
J.show("cast", Agent.cast(a, fn s -> s * 2 end))
J.show("get", Agent.get(a, & &1))
J.show("stop", Agent.stop(a))
