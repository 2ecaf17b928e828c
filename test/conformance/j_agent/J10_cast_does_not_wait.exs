# id: J10
# title: cast returns :ok at once, before its function runs; a later get waits for it, in order
Code.require_file("j_help.exs", __DIR__)
me = self()
{:ok, a} = Agent.start(fn -> 1 end)
J.show("cast", Agent.cast(a, fn s -> receive do: (:go -> :ok); send(me, :cast_ran); s + 1 end))
J.show("mailbox", J.mailbox(50))
send(a, :go)
J.show("get", Agent.get(a, & &1))
J.show("mailbox", J.mailbox(50))
J.show("cast", Agent.cast(:nobody_j10, fn s -> s end))
