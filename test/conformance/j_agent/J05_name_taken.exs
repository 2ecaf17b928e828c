# id: J05
# title: a name already taken: start returns {:error, {:already_started, pid}}, and the second init never runs
Code.require_file("j_help.exs", __DIR__)
me = self()
{:ok, a} = Agent.start(fn -> 1 end, name: :counter)
J.name(a, :first)
J.show("start", Agent.start(fn -> send(me, :second_init_ran); 2 end, name: :counter))
J.show("mailbox", J.mailbox())
J.show("get", Agent.get(:counter, & &1))
