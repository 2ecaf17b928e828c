# id: J15
# title: a linked agent that crashes in a function: a trapping caller gets the EXIT after its call failed
Code.require_file("j_help.exs", __DIR__)
Process.flag(:trap_exit, true)
_ = J.mailbox() # the EXIT of a helper the elixir command linked to this process, which is not the scenario's
{:ok, a} = Agent.start_link(fn -> 1 end)
J.name(a, :agent)
J.show("update", J.call_exit(fn -> Agent.update(a, fn _ -> raise "boom" end) end))
J.show("mailbox", J.mailbox())
