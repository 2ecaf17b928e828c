# id: J08
# title: a get that takes longer than its timeout: the caller exits with timeout, the agent lives on, the late reply never arrives
Code.require_file("j_help.exs", __DIR__)
{:ok, a} = Agent.start(fn -> 1 end)
J.show("get", J.call_exit(fn -> Agent.get(a, fn s -> Process.sleep(200); s end, 50) end))
J.show("alive", Process.alive?(a))
J.show("get", Agent.get(a, & &1))
J.show("mailbox", J.mailbox(300))
J.show("update", J.call_exit(fn -> Agent.update(a, fn s -> Process.sleep(200); s + 1 end, 0) end))
J.show("get", Agent.get(a, & &1))
